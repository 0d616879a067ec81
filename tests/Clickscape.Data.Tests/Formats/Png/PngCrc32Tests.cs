using System.Text;
using Clickscape.Data.Formats.Png;

namespace Clickscape.Data.Tests.Formats.Png;

public sealed class PngCrc32Tests
{
    /// <summary>The standard check value of CRC-32/ISO-HDLC and the CRC every PNG file's IEND chunk carries.</summary>
    [Fact]
    public void KnownValues()
    {
        Assert.Equal(0xCBF43926u, PngCrc32.Compute(Encoding.ASCII.GetBytes("123456789")));
        Assert.Equal(0xAE426082u, PngCrc32.Compute(Encoding.ASCII.GetBytes("IEND")));
        Assert.Equal(0u, PngCrc32.Compute([]));
    }

    /// <summary>Against the bitwise definition (no table), and Append composes.</summary>
    [Fact]
    public void MatchesBitwiseReference_AndAppendComposes()
    {
        var random = new Random(5);
        foreach (int n in new[] { 1, 7, 257, 1000 })
        {
            var data = new byte[n];
            random.NextBytes(data);
            uint c = 0xFFFFFFFF;
            foreach (byte b in data)
            {
                c ^= b;
                for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? (c >> 1) ^ 0xEDB88320u : c >> 1;
            }
            Assert.Equal(~c, PngCrc32.Compute(data));
            int split = n / 3;
            Assert.Equal(~c, PngCrc32.Append(PngCrc32.Compute(data.AsSpan(0, split)), data.AsSpan(split)));
        }
    }
}
