using Clickscape.Data.Formats.Coco;

namespace Clickscape.Data.Tests.Formats.Coco;

public sealed class MaskRleTests
{
    [Fact]
    public void Encode_IsColumnMajor_ZerosFirst()
    {
        // rows: 0 1 1 / 1 1 0 → columns read top-down: (0,1) (1,1) (1,0) → 0 1 1 1 1 0
        byte[] mask = [0, 1, 1, 1, 1, 0];
        var rle = MaskRle.Encode(mask, 2, 3);
        Assert.Equal([1, 4, 1], rle.Counts);
        Assert.Equal(4, rle.Area());
        Assert.Equal(mask, rle.Decode());
        // starting inside gives an empty zero run
        Assert.Equal([0, 2, 1], MaskRle.Encode([1, 1, 0], 3, 1).Counts);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 7)]
    [InlineData(7, 3)]
    [InlineData(5, 257)]
    [InlineData(64, 48)]
    public void EncodeDecode_RoundTrips_AndAreaBoxMatchPixels(int height, int width)
    {
        var random = new Random(height * 1000 + width);
        for (int trial = 0; trial < 20; trial++)
        {
            var mask = new byte[height * width];
            double p = trial / 20.0;
            // blobs: a random rectangle plus sparse noise, so boxes are non-trivial
            int x0 = random.Next(width), y0 = random.Next(height), x1 = random.Next(x0, width), y1 = random.Next(y0, height);
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                    mask[y * width + x] = (byte)((x >= x0 && x <= x1 && y >= y0 && y <= y1) || random.NextDouble() < p * 0.05 ? 1 : 0);
            var rle = MaskRle.Encode(mask, height, width);
            Assert.Equal(mask, rle.Decode());
            Assert.Equal(mask.Count(v => v != 0), rle.Area());
            Assert.Equal(ReferenceBox(mask, height, width), rle.BoundingBox());
            var text = rle.ToCompressedString();
            Assert.All(text, ch => Assert.InRange(ch, (char)48, (char)111));
            Assert.Equal(rle, MaskRle.FromCompressedString(text, height, width));
        }
    }

    /// <summary>Box of the pixels inside (the pycocotools definition for masks whose runs do not wrap
    /// around a column; the test masks may wrap, which widens y to the full height like pycocotools).</summary>
    private static double[] ReferenceBox(byte[] mask, int h, int w)
    {
        int xs = w, xe = -1, ys = h, ye = -1;
        for (int x = 0; x < w; x++)
            for (int y = 0; y < h; y++)
            {
                if (mask[y * w + x] == 0) continue;
                xs = Math.Min(xs, x);
                xe = Math.Max(xe, x);
                ys = Math.Min(ys, y);
                ye = Math.Max(ye, y);
                // a run continuing from the bottom of this column into the next one
                if (y == h - 1 && x + 1 < w && mask[x + 1] != 0)
                {
                    ys = 0;
                    ye = h - 1;
                }
            }
        return xe < 0 ? [0, 0, 0, 0] : [xs, ys, xe - xs + 1, ye - ys + 1];
    }

    /// <summary>The string form worked out by hand from pycocotools' rule: counts from the fourth on are
    /// deltas to the count two before; 5-bit groups, 0x20 = more, 0x10 of the last group = sign, + 48.</summary>
    [Fact]
    public void CompressedString_MatchesHandEncodedValues()
    {
        Assert.Equal("141", new MaskRle(2, 3, [1, 4, 1]).ToCompressedString());
        // 30 = 0b11110: low group has bit 0x10 set so a second (zero) group is needed: 'n' '0'.
        // 1 − 30 = −29: groups 3 (+0x20 → 'S') then −1 → 31 ('O').
        var rle = new MaskRle(38, 1, [5, 30, 2, 1]);
        Assert.Equal("5n02SO", rle.ToCompressedString());
        Assert.Equal(rle, MaskRle.FromCompressedString("5n02SO", 38, 1));
    }

    [Fact]
    public void CompressedString_RandomMasks_RoundTrip_AndKnownBoxPrefix()
    {
        var rng = new Random(1);
        for (var trial = 0; trial < 50; trial++)
        {
            var h = 1 + rng.Next(40);
            var w = 1 + rng.Next(40);
            var m = new byte[h * w];
            var p = rng.NextDouble();
            for (var i = 0; i < m.Length; i++)
                m[i] = rng.NextDouble() < p ? (byte)1 : (byte)0;
            var rle = MaskRle.Encode(m, h, w);
            var back = MaskRle.FromCompressedString(rle.ToCompressedString(), h, w);
            Assert.Equal(rle.Counts, back.Counts);
            Assert.Equal(m, back.Decode());
        }
        // A 10×10 mask with columns 2..5, rows 2..5 set has counts [22, 4, 6, 4, ...]: 22 = 0b10110 has bit
        // 0x10 set, so it needs a second group: chars (22 | 0x20) + 48 = 'f' and 0 + 48 = '0'.
        var box = new byte[100];
        for (int y = 2; y <= 5; y++)
            for (int x = 2; x <= 5; x++) box[y * 10 + x] = 1;
        var boxRle = MaskRle.Encode(box, 10, 10);
        Assert.Equal([22, 4, 6, 4, 6, 4, 6, 4, 44], boxRle.Counts);
        Assert.StartsWith("f0", boxRle.ToCompressedString(), StringComparison.Ordinal);
    }

    [Fact]
    public void CompressedString_LargeCounts_RoundTrip()
    {
        var rle = new MaskRle(1000, 1000, [123456, 800000, 1, 0, 76543]);
        Assert.Equal(rle, MaskRle.FromCompressedString(rle.ToCompressedString(), 1000, 1000));
    }

    [Theory]
    [InlineData("14", "add up")] // 5 of 6 pixels
    [InlineData("1 41", "character")]
    [InlineData("1o", "ends inside")]
    public void CompressedString_BadInput_IsFormatException(string text, string expected)
    {
        var e = Assert.Throws<FormatException>(() => MaskRle.FromCompressedString(text, 2, 3));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Union_IsPixelwiseOr()
    {
        var a = MaskRle.Encode([1, 0, 0, 0, 0, 0], 2, 3);
        var b = MaskRle.Encode([0, 0, 0, 0, 1, 1], 2, 3);
        Assert.Equal(new byte[] { 1, 0, 0, 0, 1, 1 }, MaskRle.Union([a, b], 2, 3).Decode());
    }

    /// <summary>The run-based union equals the pixel-wise OR of the decoded masks, encoded again (random masks,
    /// awkward sizes, 1–4 masks, including empty and full ones).</summary>
    [Fact]
    public void Union_OnRuns_EqualsDecodedOr()
    {
        var random = new Random(5);
        for (int trial = 0; trial < 200; trial++)
        {
            int h = random.Next(0, 9), w = random.Next(0, 9), count = 1 + random.Next(4);
            var masks = new List<MaskRle>();
            var or = new byte[h * w];
            for (int m = 0; m < count; m++)
            {
                var bytes = new byte[h * w];
                int mode = random.Next(4);
                for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)(mode == 0 ? 0 : mode == 1 ? 1 : random.Next(2));
                for (int i = 0; i < bytes.Length; i++) or[i] |= bytes[i];
                masks.Add(MaskRle.Encode(bytes, h, w));
            }
            Assert.Equal(MaskRle.Encode(or, h, w).Counts, MaskRle.Union(masks, h, w).Counts);
        }
    }
}
