using System.Text;
using Clickscape.Data.Classes;
using Clickscape.Evaluation.ScanNet;
using Clickscape.Testing;
using Xunit.Abstractions;

namespace Clickscape.Evaluation.Tests.ScanNet;

public class InstanceApRealDataTests(ITestOutputHelper output)
{
    /// <summary>Reads a 1-D little-endian uint32 .npy array (the format of the mmdetection3d ScanNet export).</summary>
    private static int[] ReadNpyUInt32(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal("NUMPY", Encoding.ASCII.GetString(bytes, 1, 5));
        var major = bytes[6];
        var headerLength = major == 1 ? BitConverter.ToUInt16(bytes, 8) : (int)BitConverter.ToUInt32(bytes, 8);
        var start = (major == 1 ? 10 : 12) + headerLength;
        var header = Encoding.ASCII.GetString(bytes, start - headerLength, headerLength);
        Assert.Contains("<u4", header, StringComparison.Ordinal);
        var values = new int[(bytes.Length - start) / 4];
        for (var i = 0; i < values.Length; i++)
            values[i] = (int)BitConverter.ToUInt32(bytes, start + (4 * i));
        return values;
    }

    [SkippableFact]
    public void Scene0000_GtAsPrediction_ScoresOne_AndDroppingAnInstanceLowersAp()
    {
        var folder = RealData.Locate("scannet/scene0000_00", output);
        var semantic = ReadNpyUInt32(Path.Combine(folder, "scene0000_00_sem_label_all.npy"));
        var instance = ReadNpyUInt32(Path.Combine(folder, "scene0000_00_ins_label_all.npy"));
        Assert.Equal(semantic.Length, instance.Length);
        var gt = new int[semantic.Length];
        for (var v = 0; v < gt.Length; v++)
            gt[v] = instance[v] == 0 ? 0 : (semantic[v] * 1000) + instance[v];
        var preds = gt.Select((id, v) => (id, v)).Where(x => x.id != 0).GroupBy(x => x.id)
            .Select((g, k) => new PredictedInstance(g.Select(x => x.v).ToArray(), g.Key / 1000, 1.0 - (k * 0.001))).ToList();
        var perfect = new InstanceAp().Evaluate([new InstanceScene("scene0000_00", gt, preds)]);
        Assert.Equal(1.0, perfect.Ap, 12);
        output.WriteLine($"{preds.Count} instances, {perfect.ClassAp.Count(a => !double.IsNaN(a))} classes with GT");
        // Without the largest evaluated instance its class loses recall.
        var largest = preds.Where(p => ScanNetBenchmark.Instance18Ids.Contains(p.LabelId)).MaxBy(p => p.Vertices.Length)!;
        var fewer = new InstanceAp().Evaluate([new InstanceScene("scene0000_00", gt, preds.Where(p => p != largest).ToList())]);
        Assert.True(fewer.Ap < 1.0);
        var semanticResult = new SemanticIou().Evaluate([(semantic, semantic)]);
        Assert.All(semanticResult.ClassIou.Where(v => !double.IsNaN(v)), v => Assert.Equal(1.0, v));
    }
}
