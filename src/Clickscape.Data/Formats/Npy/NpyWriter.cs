using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Clickscape.Data.IO;

namespace Clickscape.Data.Formats.Npy;

/// <summary>
/// Writes NumPy <c>.npy</c> version 1.0 files (version 2.0 when the header does not fit 65 535 bytes), little
/// endian, C order, header padded with spaces to a multiple of 64 bytes and ended by a newline, as
/// <c>numpy.save</c> does. Atomic (temporary file + rename).
/// </summary>
public static class NpyWriter
{
    /// <summary>Writes <paramref name="array"/> to <paramref name="path"/>.</summary>
    public static void Write(string path, NpyArray array) => AtomicFile.WriteAllBytes(path, Encode(array));

    /// <summary>The bytes of the .npy file of <paramref name="array"/>.</summary>
    public static byte[] Encode(NpyArray array)
    {
        ArgumentNullException.ThrowIfNull(array);
        string shape = array.Shape.Length == 1
            ? $"({array.Shape[0]},)"
            : "(" + string.Join(", ", array.Shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + ")";
        string dict = $"{{'descr': '{NpyArray.Descr(array.DType)}', 'fortran_order': False, 'shape': {shape}, }}";
        int preamble = 10;
        int total = preamble + dict.Length + 1;
        int padded = (total + 63) / 64 * 64;
        int major = 1;
        if (padded - preamble > ushort.MaxValue)
        {
            major = 2;
            preamble = 12;
            padded = (preamble + dict.Length + 1 + 63) / 64 * 64;
        }
        string header = dict + new string(' ', padded - preamble - dict.Length - 1) + "\n";

        int dataBytes = array.Length * array.ItemSize;
        var result = new byte[padded + dataBytes];
        result[0] = 0x93;
        Encoding.ASCII.GetBytes("NUMPY").CopyTo(result, 1);
        result[6] = (byte)major;
        result[7] = 0;
        if (major == 1) BinaryPrimitives.WriteUInt16LittleEndian(result.AsSpan(8), (ushort)header.Length);
        else BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(8), (uint)header.Length);
        Encoding.ASCII.GetBytes(header).CopyTo(result, preamble);

        var body = result.AsSpan(padded);
        if (array.Data is bool[] flags)
        {
            for (int i = 0; i < flags.Length; i++) body[i] = flags[i] ? (byte)1 : (byte)0;
        }
        else
        {
            MemoryMarshal.CreateReadOnlySpan(ref MemoryMarshal.GetArrayDataReference(array.Data), dataBytes).CopyTo(body);
            if (!BitConverter.IsLittleEndian && array.ItemSize > 1)
            {
                for (int i = 0; i < body.Length; i += array.ItemSize) body.Slice(i, array.ItemSize).Reverse();
            }
        }
        return result;
    }
}
