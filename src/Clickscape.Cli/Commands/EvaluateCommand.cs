using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Clickscape.Data.IO;
using Clickscape.Evaluation.Coco;
using Clickscape.Evaluation.Interactive;
using Clickscape.Evaluation.PartNet;
using Clickscape.Evaluation.S3dis;
using Clickscape.Evaluation.ScanNet;

namespace Clickscape.Cli.Commands;

/// <summary>
/// <c>clickscape evaluate --pred DIR --gt DIR [--metric …] [--csv FILE] [--json FILE]</c>: the benchmark
/// metrics from files, printed as a table (3 decimals like the official scripts), with full precision in
/// <c>--json</c> (NaN as null, plus the notes) and the official CSV for ScanNet instance AP.
/// </summary>
internal static class EvaluateCommand
{
    private const string Layouts = """
        Input layouts:
          scannet-instance  pred: <scene>.txt lines 'relpath labelId confidence' + mask files (one int per vertex,
                            nonzero = member); gt: <scene>.txt one 'label*1000+instance' per vertex.
          scannet-semantic  pred and gt: <scene>.txt with one nyu40 label (0..40) per vertex.
          s3dis             pred and gt: <room>.txt, one line per point ending in 'semantic instance'
                            (class 0..12, instance -1 = none).
          partnet           one level per run. gt: <shape>.txt 'label*1000+instance' per point (label 0 = other);
                            pred: ScanNet instance format; optional pred/semantic/<shape>.txt labels per point.
          interactive       pred: clicks.csv 'scene,object,class,iou_1,...,iou_20' (--gt is not read).
          coco              --gt: COCO instances JSON; --pred: results JSON [{image_id, category_id,
                            segmentation (RLE or polygons), score}].
        """;

    public static Command Create()
    {
        var pred = new Option<string>("--pred") { Description = "Prediction folder (or results JSON for coco).", Required = true };
        var gt = new Option<string>("--gt") { Description = "Ground-truth folder (or GT JSON for coco).", Required = true };
        var metric = new Option<string>("--metric")
        {
            Description = "scannet-instance | scannet-semantic | s3dis | partnet | coco | interactive",
            DefaultValueFactory = _ => "scannet-instance",
        };
        metric.AcceptOnlyFromAmong("scannet-instance", "scannet-semantic", "s3dis", "partnet", "coco", "interactive");
        var csv = new Option<string?>("--csv") { Description = "Write the official 'class,class id,ap,ap50,ap25' CSV (scannet-instance)." };
        var json = new Option<string?>("--json") { Description = "Write every number at full precision as JSON (NaN as null)." };
        var command = new Command("evaluate", "Benchmark metrics that agree with the official scripts.\n" + Layouts) { pred, gt, metric, csv, json };
        CommandAction.Set(command, (parse, output) =>
        {
            var predPath = parse.GetValue(pred)!;
            var gtPath = parse.GetValue(gt)!;
            var which = parse.GetValue(metric)!;
            var csvPath = parse.GetValue(csv);
            if (csvPath is not null && which != "scannet-instance")
                throw new ArgumentException("--csv is the official ScanNet instance result file; use it with --metric scannet-instance");
            IReadOnlyList<int>? partLabels = null;
            object result = which switch
            {
                "scannet-instance" => ScanNetInstance(predPath, gtPath, output, csvPath),
                "scannet-semantic" => ScanNetSemantic(predPath, gtPath, output),
                "s3dis" => S3dis(predPath, gtPath, output),
                "partnet" => PartNet(predPath, gtPath, output, out partLabels),
                "interactive" => Interactive(predPath, output),
                _ => Coco(predPath, gtPath, output),
            };
            var jsonPath = parse.GetValue(json);
            if (jsonPath is not null)
                WriteJson(jsonPath, which, predPath, gtPath, result, partLabels);
            return 0;
        });
        return command;
    }

    private static InstanceApResult ScanNetInstance(string pred, string gt, TextWriter output, string? csv)
    {
        var scenes = ScanNetFolders.LoadInstanceScenes(pred, gt);
        var r = new InstanceAp().Evaluate(scenes);
        output.WriteLine($"ScanNet instance AP over {scenes.Count} scene(s)");
        var rows = r.ClassNames.Select((n, c) => new[] { n, F(r.ClassAp[c]), F(r.ClassAp50[c]), F(r.ClassAp25[c]) }).ToList();
        rows.Add(["average", F(r.Ap), F(r.Ap50), F(r.Ap25)]);
        WriteTable(output, ["what", "AP", "AP_50%", "AP_25%"], rows, separatorBeforeLast: true);
        WriteNotes(output, r.Notes);
        if (csv is not null)
            InstanceApCsv.Write(csv, r);
        return r;
    }

    private static SemanticIouResult ScanNetSemantic(string pred, string gt, TextWriter output)
    {
        var scenes = ScanNetFolders.LoadSemanticScenes(pred, gt);
        var r = new SemanticIou().Evaluate(scenes.Select(s => (s.GroundTruth, s.Prediction)));
        output.WriteLine($"ScanNet semantic IoU over {scenes.Count} scene(s)");
        var rows = r.ClassNames.Select((n, c) => new[] { n, F(r.ClassIou[c]), $"{r.TruePositives[c]}/{r.Denominators[c]}" }).ToList();
        rows.Add(["mean", F(r.MeanIou), ""]);
        rows.Add(["accuracy", F(r.OverallAccuracy), ""]);
        WriteTable(output, ["class", "IoU", "TP/(TP+FP+FN)"], rows, separatorBeforeLast: false);
        WriteNotes(output, r.Notes);
        return r;
    }

    private static CoverageResult S3dis(string pred, string gt, TextWriter output)
    {
        var rooms = S3disFolders.Load(pred, gt);
        var r = new Coverage().Evaluate(rooms);
        output.WriteLine($"S3DIS instance metrics over {rooms.Count} room(s)");
        var rows = r.ClassNames.Select((n, c) => new[] { n, F(r.Cov[c]), F(r.WCov[c]), F(r.Precision[c]), F(r.Recall[c]) }).ToList();
        rows.Add(["mean", F(r.MeanCov), F(r.MeanWCov), F(r.MeanPrecision), F(r.MeanRecall)]);
        WriteTable(output, ["class", "mCov", "mWCov", "mPrec", "mRec"], rows, separatorBeforeLast: true);
        WriteNotes(output, r.Notes);
        return r;
    }

    private static PartInstanceApResult PartNet(string pred, string gt, TextWriter output, out IReadOnlyList<int> labelIds)
    {
        (var shapes, var classCount, var ids) = PartNetFolders.Load(pred, gt);
        labelIds = ids;
        var r = new PartInstanceAp { LabelIds = ids }.Evaluate(shapes, classCount);
        output.WriteLine($"PartNet part instance AP over {shapes.Count} shape(s), {classCount} part class(es)");
        var rows = Enumerable.Range(0, classCount).Select(c => new[]
        {
            ids[c].ToString(CultureInfo.InvariantCulture), F(r.ClassAp[c][0]), F(r.ClassAp[c][1]), F(r.ClassAp[c][2]),
            r.ClassIou is null ? "" : F(r.ClassIou[c]),
        }).ToList();
        rows.Add(["mean", F(r.MeanAp[0]), F(r.MeanAp[1]), F(r.MeanAp[2]), r.ClassIou is null ? "" : F(r.MeanIou)]);
        rows.Add(["shape", F(r.ShapeAp[0]), F(r.ShapeAp[1]), F(r.ShapeAp[2]), ""]);
        WriteTable(output, ["part", "AP25", "AP50", "AP75", "IoU"], rows, separatorBeforeLast: false);
        WriteNotes(output, r.Notes);
        return r;
    }

    private static ClickMetricsResult Interactive(string pred, TextWriter output)
    {
        var path = Directory.Exists(pred) ? Path.Combine(pred, ClickTable.FileName) : pred;
        var objects = ClickTable.Read(path);
        var r = new ClickMetrics().Evaluate(objects);
        output.WriteLine($"Interactive segmentation over {objects.Count} object(s)");
        var rows = new[] { r.Overall }.Concat(r.PerClass).Select(s => new[]
        {
            s.Group, s.Objects.ToString(CultureInfo.InvariantCulture), F(s.NocAt80), F(s.NocAt85), F(s.NocAt90),
            F(s.IouAtClick[0]), F(s.IouAtClick[4]), F(s.IouAtClick[9]),
        }).ToList();
        WriteTable(output, ["class", "objects", "NoC@80", "NoC@85", "NoC@90", "IoU@1", "IoU@5", "IoU@10"], rows, separatorBeforeLast: false);
        WriteNotes(output, r.Notes);
        return r;
    }

    private static CocoMaskApResult Coco(string pred, string gt, TextWriter output)
    {
        var r = CocoMaskAp.EvaluateFiles(gt, pred);
        output.WriteLine($"COCO mask AP over {r.ImageCount} image(s), {r.CategoryIds.Count} categories");
        var rows = new List<string[]>
        {
            new[] { "AP", F(r.Ap) }, new[] { "AP50", F(r.Ap50) }, new[] { "AP75", F(r.Ap75) },
            new[] { "APs", F(r.ApSmall) }, new[] { "APm", F(r.ApMedium) }, new[] { "APl", F(r.ApLarge) },
        };
        WriteTable(output, ["metric", "value"], rows, separatorBeforeLast: false);
        WriteNotes(output, r.Notes);
        return r;
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new NullForNaN() },
    };

    private static string F(double v) => double.IsNaN(v) ? "nan" : v.ToString("0.000", CultureInfo.InvariantCulture);

    private static void WriteTable(TextWriter output, string[] header, List<string[]> rows, bool separatorBeforeLast)
    {
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        string Line(string[] cells) => string.Join("  ", cells.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))).TrimEnd();
        var rule = new string('-', widths.Sum() + (2 * (widths.Length - 1)));
        output.WriteLine(Line(header));
        output.WriteLine(rule);
        for (var i = 0; i < rows.Count; i++)
        {
            if (separatorBeforeLast && i == rows.Count - 1)
                output.WriteLine(rule);
            output.WriteLine(Line(rows[i]));
        }
    }

    private static void WriteNotes(TextWriter output, IReadOnlyList<string> notes)
    {
        foreach (var n in notes)
            output.WriteLine($"note: {n}");
    }

    private static void WriteJson(string path, string metric, string pred, string gt, object result, IReadOnlyList<int>? partLabels)
    {
        var document = new Dictionary<string, object>
        {
            ["metric"] = metric,
            ["pred"] = Path.GetFullPath(pred),
            ["gt"] = Path.GetFullPath(gt),
            ["result"] = result,
        };
        if (partLabels is not null) document["partLabels"] = partLabels; // the file label of each class index of result
        var text = JsonSerializer.Serialize(document, JsonOptions);
        AtomicFile.WriteAllText(path, text + "\n");
    }

    /// <summary>Full-precision doubles (shortest round-trip text); NaN and infinities as null.</summary>
    private sealed class NullForNaN : JsonConverter<double>
    {
        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
        {
            if (double.IsFinite(value))
                writer.WriteRawValue(value.ToString("R", CultureInfo.InvariantCulture), skipInputValidation: true);
            else
                writer.WriteNullValue();
        }
    }
}
