using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Clickscape.Data.Classes;
using Clickscape.Data.Synthetic.Scenes;
using Clickscape.Geometry.Scenes;
using Xunit.Abstractions;

namespace Clickscape.Data.Tests.Synthetic.Scenes;

public sealed class UnseenClassesTests(ITestOutputHelper log)
{
    /// <summary>SHA-256 over positions, colours, faces, labels, instances and segments of a generated room.</summary>
    private static string Fingerprint(SyntheticScene g)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var s = g.Scene;
        sha.AppendData(MemoryMarshal.AsBytes(s.Positions.AsSpan()));
        sha.AppendData(s.Colors!);
        sha.AppendData(MemoryMarshal.AsBytes(s.Faces.AsSpan()));
        sha.AppendData(MemoryMarshal.AsBytes(s.SemanticLabels.AsSpan()));
        sha.AppendData(MemoryMarshal.AsBytes(s.InstanceIds.AsSpan()));
        sha.AppendData(MemoryMarshal.AsBytes(g.SegIndices.AsSpan()));
        return Convert.ToHexString(sha.GetHashAndReset());
    }

    /// <summary>
    /// The default generator is the benchmark's: its output must not change when options are added. Fingerprints of
    /// rooms 0–4 (seed 3, small; one of each room kind) taken before the unseen-classes option existed.
    /// </summary>
    [Fact]
    public void DefaultOutput_IsUnchanged()
    {
        string[] pinned =
        [
            "A07C951C611A87E802A97F210EC5106B3C762D8CA7F3B12048B14400F5702043",
            "18744ED5A788E7448CF22B0D2DA89041B9BF860F95F2AD41AD91F24DEE3E1396",
            "7E95AFF94ABDA2353231CD3D4BDDE4417BF32084E3EC9E52CB149B0408A45210",
            "41E3560C56864E5A1DF2C8D3332750F3DE106B839C41A23A601DBF1F0D45B81F",
            "C88854BFBE196B761C13EEAE045FFEAE7D409F28FE672A9D1F26B51A861FDB5F",
        ];
        var got = Enumerable.Range(0, 5).Select(i => Fingerprint(SceneGenerator.Generate(3, i, SceneSize.Small))).ToArray();
        for (int i = 0; i < 5; i++) log.WriteLine($"room {i}: {got[i]}");
        Assert.Equal(pinned, got);
    }

    [Fact]
    public void WithTheOption_TheRoomGainsUnseenClassObjects_AndKeepsEveryOtherObject()
    {
        var unseenIds = new[] { Furniture.Unseen.Towel, Furniture.Unseen.Box, Furniture.Unseen.Lamp, Furniture.Unseen.Bag };
        Assert.All(unseenIds, id => Assert.False(ScanNetBenchmark.IsSemanticClass(id)));
        Assert.All(unseenIds, id => Assert.NotNull(ClassTables.Nyu40.Find(id)));
        var found = new HashSet<int>();
        for (int i = 0; i < 5; i++)
        {
            var plain = SceneGenerator.PlanLayout(3, i);
            var extended = SceneGenerator.PlanLayout(3, i, new SceneGeneratorOptions { UnseenClasses = true });
            // the default objects come first and are the same objects (class, parts, shapes)
            var before = plain.Objects.Where(o => !unseenIds.Contains(o.Nyu40Id)).Select(o => (o.Nyu40Id, o.Name, o.Parts.Count, o.Top)).ToList();
            var after = extended.Objects.Where(o => !unseenIds.Contains(o.Nyu40Id)).Select(o => (o.Nyu40Id, o.Name, o.Parts.Count, o.Top)).ToList();
            Assert.Equal(before, after);
            Assert.DoesNotContain(plain.Objects, o => unseenIds.Contains(o.Nyu40Id));
            foreach (var o in extended.Objects.Where(o => unseenIds.Contains(o.Nyu40Id))) found.Add(o.Nyu40Id);
        }
        Assert.Equal(unseenIds.Order(), found.Order());
        // scanned: the new objects are labelled instances of their classes
        var g = SceneGenerator.Generate(3, 0, SceneSize.Small, new SceneGeneratorOptions { UnseenClasses = true });
        var labels = g.Scene.SemanticLabels!;
        Assert.Contains(labels, l => unseenIds.Contains(l));
        for (int p = 0; p < labels.Length; p++)
            if (unseenIds.Contains(labels[p])) Assert.NotEqual(Scene.NoInstance, g.Scene.InstanceIds![p]);
    }
}
