using Clickscape.Tensors.Sparse;

namespace Clickscape.Tensors.Tests.Sparse;

public sealed class CoordinateHashTests
{
    [Fact]
    public void PackUnpackRoundTripsAndOffsetsAddPerAxis()
    {
        var rng = new Random(11);
        for (int t = 0; t < 2000; t++)
        {
            int b = rng.Next(0, CoordinateHash.MaxBatch + 1);
            int x = rng.Next(CoordinateHash.MinCoordinate, CoordinateHash.MaxCoordinate + 1);
            int y = t % 3 == 0 ? CoordinateHash.MinCoordinate : rng.Next(-50, 50);
            int z = t % 5 == 0 ? CoordinateHash.MaxCoordinate : rng.Next(-50, 50);
            ulong key = CoordinateHash.Pack(b, x, y, z);
            Assert.Equal((b, x, y, z), CoordinateHash.Unpack(key));
            int dx = rng.Next(-1024, 1025), dy = rng.Next(-3, 4), dz = rng.Next(-1024, 1025);
            // The moved key must equal the key of the moved coordinate whenever the latter is inside the field.
            ulong moved = key + CoordinateHash.PackOffset(dx, dy, dz);
            Assert.Equal((b, x + dx, y + dy, z + dz), CoordinateHash.Unpack(moved));
        }
    }

    [Fact]
    public void PackRejectsOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CoordinateHash.Pack(0, CoordinateHash.MaxCoordinate + 1, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => CoordinateHash.Pack(0, 0, CoordinateHash.MinCoordinate - 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => CoordinateHash.Pack(CoordinateHash.MaxBatch + 1, 0, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => CoordinateHash.Pack(-1, 0, 0, 0));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(7, 50)]
    [InlineData(1000, 3000)]
    [InlineData(20000, 20000)]
    public void MatchesDictionary(int count, int lookups)
    {
        var rng = new Random(count + 3);
        var hash = new CoordinateHash(count);
        var reference = new Dictionary<ulong, int>();
        // Clustered coordinates (a small box) make many keys share high bits, the hard case for a weak hash.
        for (int i = 0; i < count; i++)
        {
            ulong key = CoordinateHash.Pack(rng.Next(0, 3), rng.Next(-20, 20), rng.Next(-20, 20), rng.Next(-20, 20));
            bool added = hash.TryAdd(key, i);
            Assert.Equal(reference.TryAdd(key, i), added);
        }
        Assert.Equal(reference.Count, hash.Count);
        Assert.True(hash.Capacity >= 2 * hash.Count);
        foreach (var (key, row) in reference) Assert.Equal(row, hash.Find(key));
        for (int t = 0; t < lookups; t++)
        {
            ulong key = CoordinateHash.Pack(rng.Next(0, 4), rng.Next(-25, 25), rng.Next(-25, 25), rng.Next(-25, 25));
            Assert.Equal(reference.TryGetValue(key, out int row) ? row : -1, hash.Find(key));
        }
    }

    [Fact]
    public void GetOrAddReturnsTheFirstRow()
    {
        var hash = new CoordinateHash(4);
        ulong key = CoordinateHash.Pack(0, 1, 2, 3);
        Assert.Equal(5, hash.GetOrAdd(key, 5));
        Assert.Equal(5, hash.GetOrAdd(key, 9));
        Assert.Equal(1, hash.Count);
    }

    [Fact]
    public void BuildRejectsDuplicatesWithTheirRows()
    {
        ulong[] keys = [CoordinateHash.Pack(0, 1, 2, 3), CoordinateHash.Pack(0, 4, 5, 6), CoordinateHash.Pack(0, 1, 2, 3)];
        var e = Assert.Throws<ArgumentException>(() => CoordinateHash.Build(keys));
        Assert.Contains("rows 0 and 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddingBeyondCapacityThrows()
    {
        var hash = new CoordinateHash(1);
        int stored = 0;
        Assert.Throws<InvalidOperationException>(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                hash.GetOrAdd(CoordinateHash.Pack(0, i, 0, 0), i);
                stored++;
            }
        });
        Assert.Equal(hash.Capacity / 2, stored);
    }
}
