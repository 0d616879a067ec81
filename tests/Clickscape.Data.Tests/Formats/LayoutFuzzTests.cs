using System.Buffers.Binary;
using Clickscape.Data.Formats.Las;
using Clickscape.Data.Formats.MmDetection3d;
using Clickscape.Data.Formats.Pcd;
using Clickscape.Data.IO;
using Clickscape.Data.Tests.Formats.Las;
using Clickscape.Data.Tests.Formats.Pcd;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Data.Tests.Formats;

/// <summary>
/// The readers of the user layouts (PCD, LAS, LZF, mmdetection3d points/ + masks) under the corruptions of
/// <see cref="FormatFuzzTests"/>: every corrupted input loads a valid scene or fails with a
/// <see cref="DataFormatException"/>, and allocates no more than a bound proportional to its size.
/// </summary>
public class LayoutFuzzTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>Allocation bound of one load: 64 bytes per input byte plus 1 MiB.</summary>
    private static long Bound(long inputBytes) => (64 * inputBytes) + (1 << 20);

    private static Scene Bounded(long inputBytes, Func<Scene> load, string what)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        Scene scene;
        try
        {
            scene = load();
        }
        catch (DataFormatException) when (GC.GetAllocatedBytesForCurrentThread() - before > Bound(inputBytes))
        {
            throw new InvalidOperationException($"{what}: {GC.GetAllocatedBytesForCurrentThread() - before} bytes allocated for {inputBytes} input bytes before failing");
        }
        long used = GC.GetAllocatedBytesForCurrentThread() - before;
        if (used > Bound(inputBytes)) throw new InvalidOperationException($"{what}: {used} bytes allocated for {inputBytes} input bytes");
        return scene;
    }

    [Theory]
    [InlineData("ascii")]
    [InlineData("binary")]
    [InlineData("binary_compressed")]
    public void CorruptedPcd_LoadsValidOrThrowsDataFormatException(string data)
    {
        var failures = new List<string>();
        int loaded = 0;
        for (int seed = 0; seed < 800; seed++)
        {
            var valid = PcdSceneTests.Write(PcdSceneTests.Make(3 + (seed % 40)), data);
            var corrupted = FormatFuzzTests.Mutate(valid, new Random((seed * 6151) + data.Length));
            FormatFuzzTests.Check($"pcd/{data}", seed, corrupted, b =>
            {
                var s = Bounded(b.Length, () => PcdScene.Parse(b, "fuzz", "fuzz.pcd"), $"pcd/{data} seed {seed}");
                loaded++;
                return s;
            }, failures);
        }
        output.WriteLine($"{data}: 800 corrupted files, {loaded} loaded");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }

    [Fact]
    public void CorruptedLas_LoadsValidOrThrowsDataFormatException()
    {
        var failures = new List<string>();
        int[] formats = [0, 1, 2, 3, 6, 7, 8];
        for (int seed = 0; seed < 1200; seed++)
        {
            int format = formats[seed % formats.Length];
            var (xyz, rgb, classes) = LasSceneTests.Points(2 + (seed % 25), seed % 2 == 0 ? 0 : 400000);
            var valid = LasSceneTests.Write(format >= 6 ? 4 : 2, format, xyz, [0.01, 0.01, 0.01], [seed, -seed, 0], rgb, classes);
            var corrupted = FormatFuzzTests.Mutate(valid, new Random(seed * 7717));
            FormatFuzzTests.Check("las", seed, corrupted, b => Bounded(b.Length, () => LasScene.Parse(b, "fuzz", "fuzz.las").Scene, $"las seed {seed}"), failures);
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }

    [Fact]
    public void CorruptedLzf_DecodesOrThrowsDataFormatException_WithinTheBound()
    {
        var failures = new List<string>();
        for (int seed = 0; seed < 2000; seed++)
        {
            var rng = new Random(seed);
            var data = new byte[rng.Next(1, 400)];
            for (int k = 0; k < data.Length; k++) data[k] = (byte)(k % 5 == 0 ? rng.Next(256) : data[Math.Max(0, k - 1 - rng.Next(20))]);
            var stream = FormatFuzzTests.Mutate(PcdSceneTests.LzfCompress(data), rng);
            int declared = rng.Next(3) switch { 0 => data.Length, 1 => rng.Next(0, 1000), _ => rng.Next() };
            try
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                Lzf.Decompress(stream, declared, "fuzz");
                if (GC.GetAllocatedBytesForCurrentThread() - before > Bound(stream.Length)) failures.Add($"lzf seed {seed}: allocation beyond the bound");
            }
            catch (DataFormatException)
            {
            }
#pragma warning disable CA1031 // Any other exception is a bug to report with its seed.
            catch (Exception e)
#pragma warning restore CA1031
            {
                failures.Add($"lzf seed {seed}: {e.GetType().Name}: {e.Message}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }

    [Fact]
    public void CorruptedMmDetection3dBins_LoadValidOrThrowDataFormatException()
    {
        var failures = new List<string>();
        var root = TestScenes.TempDir();
        foreach (var folder in new[] { "points", "instance_mask", "semantic_mask" }) Directory.CreateDirectory(Path.Combine(root, folder));
        for (int seed = 0; seed < 300; seed++)
        {
            var rng = new Random(seed);
            int n = rng.Next(1, 30);
            var points = new byte[24 * n];
            var ins = new byte[8 * n];
            var sem = new byte[8 * n];
            for (int i = 0; i < n; i++)
            {
                for (int c = 0; c < 6; c++) BinaryPrimitives.WriteSingleLittleEndian(points.AsSpan((24 * i) + (4 * c)), c < 3 ? (float)rng.NextDouble() : rng.Next(256));
                BinaryPrimitives.WriteInt64LittleEndian(ins.AsSpan(8 * i), rng.Next(5));
                BinaryPrimitives.WriteInt64LittleEndian(sem.AsSpan(8 * i), rng.Next(41));
            }
            int which = seed % 3;
            var id = $"scene{seed:D4}_00";
            File.WriteAllBytes(Path.Combine(root, "points", id + ".bin"), which == 0 ? FormatFuzzTests.Mutate(points, rng) : points);
            File.WriteAllBytes(Path.Combine(root, "instance_mask", id + ".bin"), which == 1 ? FormatFuzzTests.Mutate(ins, rng) : ins);
            File.WriteAllBytes(Path.Combine(root, "semantic_mask", id + ".bin"), which == 2 ? FormatFuzzTests.Mutate(sem, rng) : sem);
            var path = Path.Combine(root, "points", id + ".bin");
            FormatFuzzTests.Check("mmdet3d-bin", seed, [], _ => Bounded(3 * points.Length, () => MmDetection3dBinScene.Load(path), $"mmdet3d seed {seed}"), failures);
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }
}
