using System.Globalization;
using System.Text;
using Clickscape.Data.Clicks;
using Clickscape.Data.Formats.Coco;
using Clickscape.Data.Formats.Npy;
using Clickscape.Data.Formats.PartNet;
using Clickscape.Data.Formats.S3dis;
using Clickscape.Data.Formats.ScanNet;
using Clickscape.Data.Formats.SemanticKitti;
using Clickscape.Data.Formats.Text;
using Clickscape.Data.Formats.Ply;
using Clickscape.Data.IO;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Data.Tests.Formats;

/// <summary>
/// Seeded corruption of valid files of every reader — PLY, NPY, text point clouds, SemanticKITTI, S3DIS rooms,
/// PartNet shapes and the JSON layouts (ScanNet aggregation and segments, clicks, COCO): bit flips, byte
/// deletions and insertions, truncations and token edits from a vocabulary of hostile values (10³⁰⁰, 2³¹,
/// NaN, wrong types, brackets). Every corrupted file must either load into a valid result (a scene that passes
/// <see cref="Scene.Validate"/>) or fail with a one-line <see cref="DataFormatException"/>, and the load must
/// allocate no more than a bound set by the input's size (<see cref="MemoryBound"/>); anything else fails the
/// test with the seed to replay.
/// </summary>
public class FormatFuzzTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly string[] HeaderWords =
    [
        "0", "1", "-1", "3", "255", "65536", "2147483647", "2147483648", "99999999", "char", "uchar", "short", "ushort", "int", "uint",
        "float", "double", "list", "vertex", "face", "x", "label", "end_header", "ascii", "binary_little_endian", "binary_big_endian",
        "property", "element", "(", ")", "'<f8'", "'|b1'", "'>i2'", "True", "'shape':", ",", "(0,)", "(1, 2, 3)",
    ];

    /// <summary>Values that broke readers before: out-of-range numbers, wrong JSON types, structure characters, escapes.</summary>
    private static readonly string[] JsonWords =
    [
        "1e300", "-1e300", "1e-300", "2147483647", "2147483648", "-2147483649", "4294967296", "2000000000", "-2000000000",
        "9999999999999999999999", "-1", "0", "0.5", "1.5", "-0", "NaN", "null", "true", "false", "\"x\"", "\"\"", "\"1\"", "[]", "{}",
        "[", "]", "{", "}", ",", ":", "[[0,0,1e300,0,0,1e300]]", "[-1e12,5,5,0,5,10]", "\"segGroups\"", "\"objectId\"", "\"segments\"", "\"id\"",
        "\"images\"", "\"annotations\"", "\"segmentation\"", "\"counts\"", "\"size\"", "\"width\"", "\"height\"", "\"segIndices\"",
        "\"children\"", "\"xyz\"", "\"clicks\"", "\"\\u001b[31m\"", "\"0000\"", "\"PP\"",
    ];

    private static readonly string[] TextWords =
    [
        "0", "-1", "1e39", "-1e39", "1e300", "nan", "NaN", "inf", "-inf", "2147483648", "16777217", "2000000001", "0.5", "255", "256",
        "#", "//", ",", "\u001b[2J", "\t", "1 2", "1 2 3 4 5 6 7", "x", "", "\n", "\r\n",
    ];

    private static bool IsJsonDelimiter(byte b) => IsSpace(b) || b is (byte)',' or (byte)':' or (byte)'[' or (byte)']' or (byte)'{' or (byte)'}';

    /// <summary>Corrupts a JSON or text file: the byte edits of <see cref="Mutate"/> plus token replacements anywhere in it.</summary>
    private static byte[] MutateTokens(byte[] original, Random rng, string[] words, Func<byte, bool> delimiter)
    {
        var bytes = new List<byte>(rng.Next(3) == 0 ? Mutate(original, rng) : original);
        int edits = 1 + rng.Next(3);
        for (int e = 0; e < edits && bytes.Count > 0; e++)
        {
            int at = rng.Next(bytes.Count);
            while (at > 0 && !delimiter(bytes[at - 1])) at--;
            int end = at;
            while (end < bytes.Count && !delimiter(bytes[end])) end++;
            if (end == at && rng.Next(2) == 0) end = Math.Min(bytes.Count, at + 1); // replace a delimiter now and then
            bytes.RemoveRange(at, end - at);
            bytes.InsertRange(at, Encoding.UTF8.GetBytes(words[rng.Next(words.Length)]));
        }
        return bytes.ToArray();
    }

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

    /// <summary>
    /// The allocation bound of one load: 4 MiB plus 64 bytes per input byte. Generous for every reader (a scene
    /// is a few arrays the size of the input), far below what a size taken from the file without checking costs
    /// (a count of 2³¹, a polygon of 10³⁰⁰, a class table sized by a label of 2·10⁹).
    /// </summary>
    private static long MemoryBound(long inputBytes) => (4L << 20) + 64 * inputBytes;

    internal static void Check(string kind, int seed, byte[] corrupted, Func<byte[], Scene> load, List<string> failures) =>
        Check<Scene>(kind, seed, corrupted, load, s => s.Validate(), failures);

    /// <summary>Loads <paramref name="corrupted"/>; records a failure unless it loads into something valid or fails with a one-line DataFormatException, within <see cref="MemoryBound"/>.</summary>
    private static bool Check<T>(string kind, int seed, byte[] corrupted, Func<byte[], T> load, Func<T, string?> validate, List<string> failures)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        bool loaded = false;
        try
        {
            var result = load(corrupted);
            if (validate(result) is { } problem) failures.Add($"{kind} seed {seed}: loaded an invalid result ({problem})");
            loaded = true;
        }
        catch (DataFormatException e)
        {
            if (e.Message.Contains('\n') || e.Message.Contains('\u001b')) failures.Add($"{kind} seed {seed}: message not one clean line");
        }
#pragma warning disable CA1031 // The point of the test: any other exception is a bug to report with its seed.
        catch (Exception e)
#pragma warning restore CA1031
        {
            failures.Add($"{kind} seed {seed}: {e.GetType().Name}: {e.Message}");
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        if (allocated > MemoryBound(corrupted.Length))
            failures.Add($"{kind} seed {seed}: allocated {allocated} bytes for a {corrupted.Length}-byte input");
        return loaded;
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

    /// <summary>Runs <paramref name="count"/> corruptions of <paramref name="valid"/>(seed % variants) and asserts the rule; returns how many loaded.</summary>
    private int Fuzz<T>(string kind, int count, int variants, Func<int, byte[]> valid, Func<byte[], Random, byte[]> mutate, Func<byte[], T> load,
        Func<T, string?> validate)
    {
        var failures = new List<string>();
        var originals = Enumerable.Range(0, variants).Select(valid).ToArray();
        foreach (var original in originals)
            Assert.True(Check(kind + "/valid", -1, original, load, validate, failures), $"{kind}: the uncorrupted file does not load: {string.Join("; ", failures)}");
        int loaded = 0;
        for (int seed = 0; seed < count; seed++)
        {
            var corrupted = mutate(originals[seed % variants], new Random(seed * 7907 + kind.Length));
            if (Check(kind, seed, corrupted, load, validate, failures)) loaded++;
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
        Assert.InRange(loaded, 0, count - 1); // most corruptions must be caught
        output.WriteLine($"{kind}: {count} corrupted files, {loaded} loaded, {count - loaded} rejected with DataFormatException");
        return loaded;
    }

    private static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static byte[] ValidAggregation(int seed)
    {
        var rng = new Random(seed);
        var sb = new StringBuilder("{\"sceneId\":\"scannet.scene0000_00\",\"appId\":\"Annotator\",\"segGroups\":[");
        int groups = rng.Next(0, 6);
        for (int g = 0; g < groups; g++)
        {
            if (g > 0) sb.Append(',');
            sb.Append($"{{\"id\":{g},\"objectId\":{g},\"segments\":[{string.Join(',', Enumerable.Range(0, 1 + rng.Next(4)).Select(_ => rng.Next(20)))}],\"label\":\"chair\"}}");
        }
        sb.Append("],\"segmentsFile\":\"scannet.scene0000_00_vh_clean_2.0.010000.segs.json\"}");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static byte[] ValidSegments(int seed)
    {
        var rng = new Random(seed);
        string k = seed % 2 == 0 ? "0.01" : "\"0.01\"";
        return Encoding.UTF8.GetBytes($"{{\"params\":{{\"kThresh\":{k},\"segMinVerts\":20}},\"sceneId\":\"s\",\"segIndices\":[{string.Join(',', Enumerable.Range(0, rng.Next(1, 30)).Select(_ => rng.Next(8)))}]}}");
    }

    private static byte[] ValidClicks(int seed)
    {
        var rng = new Random(seed);
        var clicks = Enumerable.Range(0, rng.Next(0, 5)).Select(i => new Click(1 + i, 5, rng.Next(30), [(float)rng.NextDouble(), 1, 2], i % 2 == 0, i));
        var set = new ClickSet("scene0000_00", "center", seed, clicks, [new SkippedInstance(9, 3, 2, "too small")]);
        return Encoding.UTF8.GetBytes(set.ToJson().ToJsonString());
    }

    private static byte[] ValidCoco(int seed)
    {
        var rng = new Random(seed);
        var dataset = new CocoDataset();
        int w = 8 + rng.Next(40), h = 8 + rng.Next(40);
        dataset.Images.Add(new CocoImage(1, "a.png", w, h));
        dataset.Categories.Add(new CocoCategory(1, "thing", ""));
        for (int a = 0; a < 3; a++)
        {
            CocoSegmentation segmentation;
            if (a == 0)
            {
                segmentation = CocoSegmentation.FromPolygons([[1, 1, w - 2, 2, w / 2.0, h - 1.5], [0, 0, 3, 0, 3, 3, 0, 3]]);
            }
            else
            {
                var mask = new byte[w * h];
                for (int i = 0; i < mask.Length; i++) mask[i] = (byte)(rng.Next(4) == 0 ? 1 : 0);
                segmentation = CocoSegmentation.FromRle(MaskRle.Encode(mask, h, w), compressed: a == 1);
            }
            var rle = segmentation.ToRle(h, w);
            dataset.Annotations.Add(new CocoAnnotation(a + 1, 1, 1, segmentation, rle.Area(), rle.BoundingBox(), IsCrowd: false));
        }
        using var stream = new MemoryStream();
        CocoJson.Write(stream, dataset);
        return stream.ToArray();
    }

    private static string? RasterizeAll(CocoDataset d)
    {
        var images = d.Images.ToDictionary(i => i.Id);
        foreach (var a in d.Annotations)
        {
            var image = images[a.ImageId];
            var rle = a.Segmentation.ToRle(image.Height, image.Width);
            if (rle.Area() > (long)image.Height * image.Width) return $"annotation {a.Id} covers more pixels than its image";
        }
        return null;
    }

    [Fact]
    public void CorruptedJsonLayouts_LoadValidOrThrowDataFormatException()
    {
        var json = (byte[] b, Random r) => MutateTokens(b, r, JsonWords, IsJsonDelimiter);
        int[] segs = Enumerable.Range(0, 40).Select(i => i % 20).ToArray();
        Fuzz("aggregation", 1000, 8, ValidAggregation, json, b => AggregationFile.Parse(b, "fuzz.aggregation.json"),
            a => a.InstanceIds(segs).Any(id => id < 0) ? "negative instance id" : null);
        Fuzz("segments", 800, 8, ValidSegments, json, b => SegmentsFile.Parse(b, "fuzz.segs.json"),
            f => f.SegIndices is null ? "no segment ids" : null);
        Fuzz("clicks", 800, 8, ValidClicks, json, b => ClickSet.Parse(Encoding.UTF8.GetString(b), "fuzz.clicks.json"),
            c => c.Clicks.Any(k => k.Xyz.Length != 3) ? "a click without 3 coordinates" : null);
        Fuzz("coco", 1200, 8, ValidCoco, json, b => CocoJson.Parse(Encoding.UTF8.GetString(b), "fuzz.json"), RasterizeAll);
    }

    private static byte[] ValidText(int seed)
    {
        var rng = new Random(seed);
        var sb = new StringBuilder(seed % 3 == 0 ? "# x y z r g b\n" : "");
        int cols = seed % 2 == 0 ? 3 : 6;
        for (int i = 0; i < rng.Next(1, 20); i++)
        {
            sb.Append(Num(Math.Round(rng.NextDouble() * 10, 3))).Append(' ').Append(Num(Math.Round(rng.NextDouble(), 4))).Append(' ').Append(Num(-rng.Next(5)));
            if (cols == 6) sb.Append($" {rng.Next(256)} {rng.Next(256)} {rng.Next(256)}");
            sb.Append(seed % 5 == 0 ? "\r\n" : "\n");
        }
        return Encoding.ASCII.GetBytes(sb.ToString());
    }

    [Fact]
    public void CorruptedTextPointClouds_LoadValidOrThrowDataFormatException()
    {
        Fuzz("text", 2000, 10, ValidText, (b, r) => MutateTokens(b, r, TextWords, IsSpace),
            b => TextPointCloud.ToScene(TextTable.Parse(b, "fuzz.xyz"), "fuzz", "fuzz.xyz"), s => s.Validate());
    }

    /// <summary>Writes <paramref name="files"/> (relative path → bytes) into <paramref name="dir"/>, over what is there.</summary>
    private static void Folder(string dir, IReadOnlyList<(string Path, byte[] Bytes)> files)
    {
        foreach (var (path, bytes) in files)
        {
            var full = Path.Combine(dir, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, bytes);
        }
    }

    /// <summary>A file layout fuzzed one file at a time: each seed corrupts one of the files of a valid layout.</summary>
    private void FuzzLayout(string kind, int count, Func<int, List<(string Path, byte[] Bytes)>> valid, Func<(string Path, byte[] Bytes), Random, byte[]> mutate,
        Func<string, Scene> load)
    {
        var dir = TestScenes.TempDir(); // one folder, its files rewritten for every seed (the layouts keep their file names)
        var failures = new List<string>();
        int loaded = 0;
        for (int seed = -4; seed < count; seed++)
        {
            var files = valid(Math.Abs(seed) % 6);
            var rng = new Random(seed * 6151 + kind.Length);
            if (seed >= 0)
            {
                int which = rng.Next(files.Count);
                files[which] = (files[which].Path, mutate(files[which], rng));
            }
            Folder(dir, files);
            long size = files.Sum(f => (long)f.Bytes.Length);
            bool ok = Check(kind, seed, new byte[size], _ => load(dir), s => s.Validate(), failures);
            if (seed < 0) Assert.True(ok, $"{kind}: the uncorrupted layout does not load: {string.Join("; ", failures)}");
            else if (ok) loaded++;
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
        Assert.InRange(loaded, 0, count - 1);
        output.WriteLine($"{kind}: {count} corrupted layouts, {loaded} loaded, {count - loaded} rejected with DataFormatException");
    }

    [Fact]
    public void CorruptedPartNetShapes_LoadValidOrThrowDataFormatException()
    {
        FuzzLayout("partnet", 300, seed =>
        {
            var rng = new Random(seed);
            int n = rng.Next(0, 12);
            var leaves = new[] { 10, 11, 3 };
            var pts = string.Concat(Enumerable.Range(0, n).Select(_ => $"{Num(rng.NextDouble())} {Num(rng.NextDouble())} {Num(rng.NextDouble())}\n"));
            var labels = string.Concat(Enumerable.Range(0, n).Select(_ => $"{leaves[rng.Next(3)]}\n"));
            const string tree = """[{"id":0,"name":"chair","text":"Chair","children":[{"id":1,"name":"base","children":[{"id":10,"name":"leg","objs":["a"]},{"id":11,"name":"leg"}]},{"id":3,"name":"seat","objs":["b"]}]}]""";
            return
            [
                ("result.json", Encoding.UTF8.GetBytes(tree)),
                ("meta.json", Encoding.UTF8.GetBytes("""{"model_cat":"Chair","anno_id":"123"}""")),
                ("point_sample/pts-10000.txt", Encoding.ASCII.GetBytes(pts)),
                ("point_sample/label-10000.txt", Encoding.ASCII.GetBytes(labels)),
            ];
        }, (f, r) => f.Path.EndsWith(".json", StringComparison.Ordinal) ? MutateTokens(f.Bytes, r, JsonWords, IsJsonDelimiter) : MutateTokens(f.Bytes, r, TextWords, IsSpace),
        dir =>
        {
            var shape = PartNetShape.Load(dir);
            return shape.ToScene(shape.MaxDepth);
        });
    }

    [Fact]
    public void CorruptedS3disRooms_LoadValidOrThrowDataFormatException()
    {
        FuzzLayout("s3dis", 250, seed =>
        [
            ("Annotations/chair_1.txt", ValidText(2 * seed + 1)),
            ("Annotations/table_1.txt", ValidText(2 * seed + 3)),
        ], (f, r) => MutateTokens(f.Bytes, r, TextWords, IsSpace), S3disRoom.Load);
    }

    [Fact]
    public void CorruptedSemanticKittiScans_LoadValidOrThrowDataFormatException()
    {
        FuzzLayout("kitti", 300, seed =>
        {
            var rng = new Random(seed);
            int n = rng.Next(0, 20);
            var bin = new byte[16 * n];
            for (int i = 0; i < 4 * n; i++) BitConverter.TryWriteBytes(bin.AsSpan(4 * i), (float)(rng.NextDouble() * 50 - 25));
            var label = new byte[4 * n];
            for (int i = 0; i < n; i++) BitConverter.TryWriteBytes(label.AsSpan(4 * i), (uint)rng.Next(30) | ((uint)rng.Next(4) << 16));
            return [("velodyne/000000.bin", bin), ("velodyne/000000.label", label)];
        }, (f, r) => Mutate(f.Bytes, r), dir => SemanticKittiScan.Load(Path.Combine(dir, "velodyne", "000000.bin")));
    }

    [Fact]
    public void CorruptedScanNetEvaluationFiles_LoadValidOrThrowDataFormatException()
    {
        // Per-vertex ids and prediction summaries (with their mask files) as the official scripts read them.
        FuzzLayout("scannet-eval", 400, seed =>
        {
            var rng = new Random(seed);
            int n = 1 + rng.Next(12);
            var ids = string.Concat(Enumerable.Range(0, n).Select(_ => $"{rng.Next(3) * 1000 + rng.Next(3)}\n"));
            var mask = string.Concat(Enumerable.Range(0, n).Select(_ => $"{rng.Next(2)}\n"));
            return
            [
                ("gt/scene0000_00.txt", Encoding.ASCII.GetBytes(ids)),
                ("pred/scene0000_00.txt", Encoding.ASCII.GetBytes($"pred_mask/scene0000_00_0.txt {1 + rng.Next(39)} {Num(rng.NextDouble())}\npred_mask/scene0000_00_1.txt 5 0.5\n")),
                ("pred/pred_mask/scene0000_00_0.txt", Encoding.ASCII.GetBytes(mask)),
                ("pred/pred_mask/scene0000_00_1.txt", Encoding.ASCII.GetBytes(mask)),
            ];
        }, (f, r) => MutateTokens(f.Bytes, r, [.. TextWords, "../secret.txt", "/etc/passwd", "a b", "pred_mask/x.txt"], IsSpace),
        dir =>
        {
            var gt = ScanNetEvaluationFiles.ReadVertexIds(Path.Combine(dir, "gt", "scene0000_00.txt"));
            var masks = ScanNetEvaluationFiles.ReadPredictionSummary(Path.Combine(dir, "pred", "scene0000_00.txt"))
                .Select(e => ScanNetEvaluationFiles.ReadMaskVertices(e.FullPath, gt.Length)).ToList();
            if (masks.Any(m => m.Any(v => (uint)v >= (uint)gt.Length))) throw new InvalidOperationException("a mask vertex outside the scene");
            return new Scene("eval", new float[3 * gt.Length]);
        });
    }
}
