using Clickscape.Data.IO;

namespace Clickscape.Data.Formats.Pcd;

/// <summary>
/// LZF decompression (Marc Lehmann's liblzf, <c>lzf_d.c</c>), the codec of PCD <c>binary_compressed</c>. The stream is
/// a sequence of runs, each started by a control byte <c>c</c>: <c>c &lt; 32</c> copies the next <c>c + 1</c> bytes
/// literally; otherwise <c>len = c &gt;&gt; 5</c> (7 means "add the next byte"), the back-reference distance is
/// <c>((c &amp; 31) &lt;&lt; 8) + next byte + 1</c>, and <c>len + 2</c> bytes are copied from that far back in the output
/// (byte by byte, so a reference may overlap what it writes).
/// </summary>
public static class Lzf
{
    /// <summary>The largest output an LZF stream can give per input byte (3 input bytes → 264 output bytes).</summary>
    public const int MaxExpansion = 88;

    /// <summary>
    /// Decompresses <paramref name="input"/> into exactly <paramref name="outputLength"/> bytes; a stream that ends
    /// early, overruns, or refers before the start of the output is a <see cref="DataFormatException"/> naming <paramref name="source"/>.
    /// </summary>
    public static byte[] Decompress(ReadOnlySpan<byte> input, int outputLength, string source)
    {
        if (outputLength < 0 || (long)outputLength > ((long)input.Length * MaxExpansion) + 1)
            throw new DataFormatException(source, $"LZF data of {input.Length} bytes cannot expand to {outputLength} bytes");
        // The buffer grows with what the stream really produces, so a header that promises more costs nothing.
        var output = new byte[Math.Min(outputLength, (4 * input.Length) + 1024)];
        int ip = 0, op = 0;
        while (ip < input.Length)
        {
            int ctrl = input[ip++];
            if (ctrl < 32)
            {
                int run = ctrl + 1;
                if (ip + run > input.Length) throw Corrupt(source, "a literal run goes past the end of the input");
                if (op + run > outputLength) throw Corrupt(source, "a literal run goes past the declared uncompressed size");
                Reserve(ref output, op + run, outputLength);
                input.Slice(ip, run).CopyTo(output.AsSpan(op));
                ip += run;
                op += run;
                continue;
            }
            int len = ctrl >> 5;
            if (len == 7)
            {
                if (ip >= input.Length) throw Corrupt(source, "a back-reference length is cut off");
                len += input[ip++];
            }
            if (ip >= input.Length) throw Corrupt(source, "a back-reference distance is cut off");
            int from = op - ((ctrl & 31) << 8) - 1 - input[ip++];
            len += 2;
            if (from < 0) throw Corrupt(source, "a back-reference points before the start of the output");
            if (op + len > outputLength) throw Corrupt(source, "a back-reference goes past the declared uncompressed size");
            Reserve(ref output, op + len, outputLength);
            for (int k = 0; k < len; k++) output[op++] = output[from++];
        }
        if (op != outputLength) throw Corrupt(source, $"the stream gives {op} bytes, the header declares {outputLength}");
        return output;
    }

    private static void Reserve(ref byte[] buffer, int needed, int limit)
    {
        if (needed <= buffer.Length) return;
        Array.Resize(ref buffer, (int)Math.Min(limit, Math.Max(needed, 2L * buffer.Length)));
    }

    private static DataFormatException Corrupt(string source, string what) => new(source, $"corrupt LZF data in binary_compressed PCD: {what}");
}
