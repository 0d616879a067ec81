using System.Buffers.Binary;
using Clickscape.Data.Formats.Png;
using Clickscape.Data.IO;

namespace Clickscape.Data.Tests.Formats.Png;

public sealed class PngRoundTripTests
{
    public static TheoryData<int, int, int> Sizes()
    {
        var data = new TheoryData<int, int, int>();
        foreach (var (w, h) in new[] { (1, 1), (3, 7), (257, 5), (2, 300) })
            for (int c = 1; c <= 4; c++)
                data.Add(w, h, c);
        return data;
    }

    /// <summary>Noise (filters rarely help) and smooth gradients (every filter gets picked somewhere) both
    /// come back bit-exactly.</summary>
    [Theory]
    [MemberData(nameof(Sizes))]
    public void EncodeDecode_IsBitExact(int width, int height, int channels)
    {
        var random = new Random(width * 31 + height * 7 + channels);
        var noise = new PngImage(width, height, channels);
        random.NextBytes(noise.Pixels);
        var smooth = new PngImage(width, height, channels);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                for (int c = 0; c < channels; c++)
                    smooth[x, y, c] = (byte)(x * (c + 1) + y * 3 + (x * y) / 5);
        foreach (var image in new[] { noise, smooth })
        {
            var decoded = PngDecoder.Decode(PngEncoder.Encode(image), "roundtrip.png");
            Assert.Equal((width, height, channels), (decoded.Width, decoded.Height, decoded.Channels));
            Assert.Equal(image.Pixels, decoded.Pixels);
        }
    }

    [Fact]
    public void SmoothImage_CompressesWell()
    {
        var image = new PngImage(256, 256, 3);
        for (int y = 0; y < 256; y++)
            for (int x = 0; x < 256; x++)
                image.SetRgb(x, y, (byte)x, (byte)y, (byte)(x + y));
        Assert.True(PngEncoder.Encode(image).Length < image.Pixels.Length / 20);
    }

    [Fact]
    public void SaveLoad_ThroughFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"clickscape-png-{Guid.NewGuid():N}.png");
        try
        {
            var image = new PngImage(5, 4, 3);
            new Random(1).NextBytes(image.Pixels);
            PngEncoder.Save(path, image);
            Assert.Equal(image.Pixels, PngDecoder.Load(path).Pixels);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Errors_NameTheFile_AndSayWhatIsWrong()
    {
        var bytes = PngEncoder.Encode(new PngImage(4, 4, 1));
        var e = Assert.Throws<DataFormatException>(() => PngDecoder.Decode(bytes.AsSpan(0, bytes.Length - 5), "cut.png"));
        Assert.StartsWith("cut.png: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);

        var flipped = (byte[])bytes.Clone();
        flipped[20] ^= 1; // inside IHDR data
        e = Assert.Throws<DataFormatException>(() => PngDecoder.Decode(flipped, "crc.png"));
        Assert.Contains("CRC mismatch", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<DataFormatException>(() => PngDecoder.Decode("GIF89a......"u8, "x.gif"));
        Assert.Contains("signature", e.Message, StringComparison.Ordinal);

        var missing = Path.Combine(Path.GetTempPath(), $"clickscape-missing-{Guid.NewGuid():N}.png");
        e = Assert.Throws<DataFormatException>(() => PngDecoder.Load(missing));
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Seeded fuzzing: random byte changes, truncations and insertions; half the time every chunk CRC is then
    /// recomputed, so corruption reaches the IHDR checks, the zlib stream and the filter bytes instead of being
    /// stopped at the first CRC. Every variant either decodes or throws <see cref="DataFormatException"/>.
    /// </summary>
    [Fact]
    public void RandomCorruption_DecodesOrThrowsDataFormatException()
    {
        var random = new Random(20240601);
        var sources = new List<byte[]>();
        foreach (var (w, h, c) in new[] { (1, 1, 1), (3, 7, 3), (17, 5, 4), (9, 9, 2) })
        {
            var image = new PngImage(w, h, c);
            random.NextBytes(image.Pixels);
            sources.Add(PngEncoder.Encode(image));
        }
        int decoded = 0, rejected = 0;
        for (int trial = 0; trial < 3000; trial++)
        {
            var bytes = new List<byte>(sources[trial % sources.Count]);
            int edits = 1 + random.Next(4);
            for (int k = 0; k < edits; k++)
            {
                int at = random.Next(bytes.Count);
                switch (random.Next(4))
                {
                    case 0: bytes[at] = (byte)random.Next(256); break;
                    case 1: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                    case 2: bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + random.Next(8))); break;
                    default: bytes.Insert(at, (byte)random.Next(256)); break;
                }
                if (bytes.Count == 0) bytes.Add(0);
            }
            var data = bytes.ToArray();
            if (trial % 2 == 0) FixCrcs(data);
            try
            {
                PngDecoder.Decode(data, "fuzz.png");
                decoded++;
            }
            catch (DataFormatException e)
            {
                Assert.StartsWith("fuzz.png: ", e.Message, StringComparison.Ordinal);
                rejected++;
            }
        }
        Assert.True(rejected > 1000, $"only {rejected} corruptions were rejected");
        Assert.True(decoded > 0, "no corrupted file decoded: the fixed-CRC half should reach pixel data");
    }

    private static void FixCrcs(byte[] data)
    {
        int pos = 8;
        while (pos + 12 <= data.Length)
        {
            uint length = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(pos));
            if (length > (uint)(data.Length - pos - 12)) return;
            var crc = PngCrc32.Compute(data.AsSpan(pos + 4, 4 + (int)length));
            BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(pos + 8 + (int)length), crc);
            pos += 12 + (int)length;
        }
    }
}
