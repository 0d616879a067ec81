using System.Text;
using Clickscape.Data.Formats.Npy;
using Clickscape.Data.Formats.Ply;
using Clickscape.Data.IO;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Data.Tests.Formats;

/// <summary>
/// Seeded corruption of valid PLY and NPY files: bit flips, byte deletions and insertions, truncations and
/// header edits. Every corrupted file must either load into a scene that passes <see cref="Scene.Validate"/>
/// or fail with a <see cref="DataFormatException"/>; anything else fails the test with the seed to replay.
/// </summary>
public class FormatFuzzTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly string[] HeaderWords =
    [
        "0", "1", "-1", "3", "255", "65536", "2147483647", "2147483648", "99999999", "char", "uchar", "short", "ushort", "int", "uint",
        "float", "double", "list", "vertex", "face", "x", "label", "end_header", "ascii", "binary_little_endian", "binary_big_endian",
        "property", "element", "(", ")", "'<f8'", "'|b1'", "'>i2'", "True", "'shape':", ",", "(0,)", "(1, 2, 3)",
    ];

    internal static byte[] Mutate(byte[] original, Random rng)
    {
        var bytes = new List<byte>(original);
        int edits = 1 + rng.Next(4);
        for (int e = 0; e < edits && bytes.Count > 0; e++)
        {
            switch (rng.Next(6))
            {
                case 0: // bit flip
                {
                    int i = rng.Next(bytes.Count);
                    bytes[i] ^= (byte)(1 << rng.Next(8));
                    break;
                }
                case 1: // delete a run
                {
                    int i = rng.Next(bytes.Count);
                    bytes.RemoveRange(i, Math.Min(bytes.Count - i, 1 + rng.Next(8)));
                    break;
                }
                case 2: // insert random bytes
                {
                    int i = rng.Next(bytes.Count + 1);
                    var junk = new byte[1 + rng.Next(8)];
                    rng.NextBytes(junk);
                    bytes.InsertRange(i, junk);
                    break;
                }
                case 3: // truncate at a random point
                {
                    int keep = rng.Next(bytes.Count);
                    bytes.RemoveRange(keep, bytes.Count - keep);
                    break;
                }
                default: // header edit: replace a whitespace-delimited word in the first 300 bytes
                {
                    int limit = Math.Min(bytes.Count, 300);
                    int at = rng.Next(limit);
                    while (at > 0 && !IsSpace(bytes[at - 1])) at--;
                    int end = at;
                    while (end < limit && !IsSpace(bytes[end])) end++;
                    bytes.RemoveRange(at, end - at);
                    bytes.InsertRange(at, Encoding.ASCII.GetBytes(HeaderWords[rng.Next(HeaderWords.Length)]));
                    break;
                }
            }
        }
        return bytes.ToArray();
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t';

    private static byte[] ValidPly(PlyFormat format, int seed)
    {
        var scene = TestScenes.Random(seed, 5 + seed % 40);
        var data = PlyScene.FromScene(scene, new PlyWriteOptions { Format = format, Labels = true, Instances = seed % 2 == 0, Alpha = seed % 3 == 0 });
        if (seed % 4 == 0)
        {
            // An extra element with a list, which the reader must parse to skip.
            var extra = new PlyElement("material", 2);
            extra.AddList("coeffs", PlyScalarType.Int16, new PlyColumn<double>([0.5, 1, 2]), [0, 1, 3]);
            data.Elements.Insert(1, extra);
        }
        using var stream = new MemoryStream();
        PlyWriter.Write(stream, data, format);
        return stream.ToArray();
    }

    private static byte[] ValidNpy(int seed)
    {
        var rng = new Random(seed);
        int n = rng.Next(0, 30);
        int cols = seed % 2 == 0 ? 3 : 6;
        NpyArray array = (seed % 3) switch
        {
            0 => new NpyArray(Enumerable.Range(0, n * cols).Select(_ => (float)rng.NextDouble()).ToArray(), [n, cols]),
            1 => new NpyArray(Enumerable.Range(0, n * cols).Select(_ => rng.NextDouble() * 100).ToArray(), [n, cols]),
            _ => new NpyArray(Enumerable.Range(0, n * cols).Select(_ => rng.Next(-100, 100)).ToArray(), [n, cols]),
        };
        return NpyWriter.Encode(array);
    }

    internal static void Check(string kind, int seed, byte[] corrupted, Func<byte[], Scene> load, List<string> failures)
    {
        try
        {
            var scene = load(corrupted);
            if (scene.Validate() is { } problem) failures.Add($"{kind} seed {seed}: loaded an invalid scene ({problem})");
        }
        catch (DataFormatException e)
        {
            if (e.Message.Contains('\n')) failures.Add($"{kind} seed {seed}: multi-line message");
        }
#pragma warning disable CA1031 // The point of the test: any other exception is a bug to report with its seed.
        catch (Exception e)
#pragma warning restore CA1031
        {
            failures.Add($"{kind} seed {seed}: {e.GetType().Name}: {e.Message}");
        }
    }

    [Theory]
    [InlineData(PlyFormat.Ascii)]
    [InlineData(PlyFormat.BinaryLittleEndian)]
    [InlineData(PlyFormat.BinaryBigEndian)]
    public void CorruptedPly_LoadsValidOrThrowsDataFormatException(PlyFormat format)
    {
        var failures = new List<string>();
        int loaded = 0;
        for (int seed = 0; seed < 1200; seed++)
        {
            var valid = ValidPly(format, seed % 16);
            var corrupted = Mutate(valid, new Random(seed * 7919 + (int)format));
            Check($"ply/{format}", seed, corrupted, b =>
            {
                var s = PlyScene.ToScene(PlyReader.Parse(b, "fuzz.ply"), "fuzz", "fuzz.ply");
                loaded++;
                return s;
            }, failures);
        }
        output.WriteLine($"{format}: 1200 corrupted files, {loaded} loaded, {1200 - loaded - failures.Count} rejected with DataFormatException");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
        Assert.InRange(loaded, 1, 1199); // some corruptions are harmless, most are not
    }

    [Fact]
    public void CorruptedNpy_LoadsValidOrThrowsDataFormatException()
    {
        var failures = new List<string>();
        for (int seed = 0; seed < 2000; seed++)
        {
            var corrupted = Mutate(ValidNpy(seed % 12), new Random(seed * 104729));
            Check("npy", seed, corrupted, b => NpyScene.ToScene(NpyReader.Parse(b, "fuzz.npy"), "fuzz", "fuzz.npy"), failures);
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }
}
