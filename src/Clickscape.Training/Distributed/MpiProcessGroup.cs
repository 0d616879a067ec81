using System.Globalization;
using System.Runtime.InteropServices;

namespace Clickscape.Training.Distributed;

/// <summary>
/// <see cref="IProcessGroup"/> over Open MPI (<c>libmpi.so.40</c>, Debian's <c>openmpi-bin</c>/<c>libopenmpi3</c>), by
/// P/Invoke of the C API: <c>MPI_Init_thread</c> (serialized: the trainer calls from one thread at a time), <c>MPI_Comm_rank</c>/<c>MPI_Comm_size</c> on <c>MPI_COMM_WORLD</c>,
/// <c>MPI_Allreduce</c> (<c>MPI_IN_PLACE</c>, <c>MPI_SUM</c>) on float and double buffers, <c>MPI_Bcast</c>,
/// <c>MPI_Finalize</c>. Open MPI's handles are the addresses of its predefined objects (<c>ompi_mpi_comm_world</c>,
/// <c>ompi_mpi_float</c>, <c>ompi_mpi_op_sum</c>, …), looked up in the library; MPICH's integer handles are not
/// supported.
/// </summary>
/// <remarks>
/// The library is opened with <c>RTLD_GLOBAL</c> (Open MPI's plugins resolve its symbols from the global scope).
/// <see cref="Dispose"/> finalizes only after <see cref="Finish"/>: a rank that fails leaves without
/// <c>MPI_Finalize</c> (which would wait for ranks blocked in a collective), so <c>mpirun</c> sees a process exit
/// non-zero without finalizing and ends the whole job instead of hanging.
/// </remarks>
public sealed unsafe class MpiProcessGroup : IProcessGroup, IDisposable
{
    private const int RtldNow = 2;
    private const int RtldGlobal = 0x100;
    private const int Success = 0;
    private const int ThreadSerialized = 2; // MPI_THREAD_SERIALIZED: one thread at a time, not necessarily the one that initialized
    private static readonly nint InPlace = 1; // Open MPI's MPI_IN_PLACE: (void *) 1

    private readonly nint _world, _float, _double, _sum;
    private readonly delegate* unmanaged<nint, nint, int, nint, nint, nint, int> _allreduce;
    private readonly delegate* unmanaged<nint, int, nint, int, nint, int> _bcast;
    private readonly delegate* unmanaged<int> _finalize;
    private bool _finished, _disposed;

    private MpiProcessGroup(nint library)
    {
        nint Export(string name) => NativeLibrary.TryGetExport(library, name, out var p)
            ? p
            : throw new InvalidOperationException($"MPI library lacks '{name}': expected Open MPI 4 (libmpi.so.40); MPICH is not supported");
        _world = Export("ompi_mpi_comm_world");
        _float = Export("ompi_mpi_float");
        _double = Export("ompi_mpi_double");
        _sum = Export("ompi_mpi_op_sum");
        var init = (delegate* unmanaged<nint, nint, int, int*, int>)Export("MPI_Init_thread");
        var rank = (delegate* unmanaged<nint, int*, int>)Export("MPI_Comm_rank");
        var size = (delegate* unmanaged<nint, int*, int>)Export("MPI_Comm_size");
        _allreduce = (delegate* unmanaged<nint, nint, int, nint, nint, nint, int>)Export("MPI_Allreduce");
        _bcast = (delegate* unmanaged<nint, int, nint, int, nint, int>)Export("MPI_Bcast");
        _finalize = (delegate* unmanaged<int>)Export("MPI_Finalize");
        int provided, r, s;
        Check(init(0, 0, ThreadSerialized, &provided), "MPI_Init_thread");
        Check(rank(_world, &r), "MPI_Comm_rank");
        Check(size(_world, &s), "MPI_Comm_size");
        Rank = r;
        Size = s;
    }

    /// <inheritdoc/>
    public int Rank { get; }

    /// <inheritdoc/>
    public int Size { get; }

    /// <summary>
    /// The world of the <c>mpirun</c> that started this process (Open MPI sets <c>OMPI_COMM_WORLD_SIZE</c> and
    /// <c>OMPI_COMM_WORLD_RANK</c>), or null when it was not started by one or the world has one process.
    /// </summary>
    public static MpiProcessGroup? FromEnvironment(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (!int.TryParse(environment("OMPI_COMM_WORLD_SIZE"), NumberStyles.None, CultureInfo.InvariantCulture, out int size) || size <= 1) return null;
        var group = new MpiProcessGroup(OpenLibrary());
        int expected = int.Parse(environment("OMPI_COMM_WORLD_RANK") ?? "-1", NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        if (group.Size != size || group.Rank != expected)
            throw new InvalidOperationException($"MPI_COMM_WORLD is rank {group.Rank} of {group.Size}, the environment says {expected} of {size}");
        return group;
    }

    /// <inheritdoc/>
    public void AllReduceSum(Span<float> values)
    {
        fixed (float* p = values)
            Check(_allreduce(InPlace, (nint)p, values.Length, _float, _sum, _world), "MPI_Allreduce");
    }

    /// <inheritdoc/>
    public void AllReduceSum(Span<double> values)
    {
        fixed (double* p = values)
            Check(_allreduce(InPlace, (nint)p, values.Length, _double, _sum, _world), "MPI_Allreduce");
    }

    /// <inheritdoc/>
    public void Broadcast(Span<float> values, int root)
    {
        fixed (float* p = values)
            Check(_bcast((nint)p, values.Length, _float, root, _world), "MPI_Bcast");
    }

    /// <summary>Marks the run as completed on this rank: <see cref="Dispose"/> then calls <c>MPI_Finalize</c>.</summary>
    public void Finish() => _finished = true;

    /// <summary>Calls <c>MPI_Finalize</c> after <see cref="Finish"/>; otherwise leaves MPI as it is (see the remarks).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_finished) Check(_finalize(), "MPI_Finalize");
    }

    private static nint OpenLibrary()
    {
        foreach (var name in new[] { "libmpi.so.40", "libmpi.so" })
        {
            nint handle = DlOpen(name, RtldNow | RtldGlobal);
            if (handle != 0) return handle;
        }
        throw new DllNotFoundException("libmpi.so.40 not found: install Open MPI (apt-get install openmpi-bin) to train with mpirun");
    }

    private static void Check(int code, string call)
    {
        if (code != Success) throw new InvalidOperationException($"{call} failed with MPI error {code}");
    }

    [DllImport("libc.so.6", EntryPoint = "dlopen", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern nint DlOpen(string file, int mode);
}
