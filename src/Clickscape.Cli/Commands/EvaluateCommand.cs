using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Clickscape.Data.Datasets;
using Clickscape.Data.Formats.PartNet;
using Clickscape.Data.Formats.ScanNet;
using Clickscape.Data.IO;
using Clickscape.Evaluation.Coco;
using Clickscape.Evaluation.Interactive;
using Clickscape.Evaluation.PartNet;
using Clickscape.Evaluation.S3dis;
using Clickscape.Evaluation.ScanNet;

namespace Clickscape.Cli.Commands;

/// <summary>
/// <c>clickscape evaluate --pred DIR --gt DIR|DATASET [--split S] [--metric …] [--csv FILE] [--json FILE]</c>: the
/// benchmark metrics from files, printed as a table (3 decimals like the official scripts), with full precision in
/// <c>--json</c> (NaN as null, plus the notes; the headline numbers <c>ap</c>, <c>ap50</c>, <c>ap25</c>, <c>miou</c>
/// at the top level) and the official CSV for ScanNet instance AP.
/// </summary>
/// <remarks>
/// For the ScanNet metrics <c>--gt</c> is either a folder of exported GT text files or a dataset / scene folder,
/// whose scenes give the ground truth (<see cref="ScanNetGroundTruth"/>). <c>--pred</c> may be the output folder of
/// <c>predict</c> (holding <c>instance/</c> and <c>semantic/</c>) or one of those two; with a dataset as GT the
/// instance metric also scores the semantic folder beside the instance one when it exists.
/// </remarks>
internal static class EvaluateCommand
{
    private const string Layouts = """
        Input layouts:
          scannet-instance  pred: <scene>.txt lines 'relpath labelId confidence' + mask files (one int per vertex,
                            nonzero = member); gt: <scene>.txt one 'label*1000+instance' per vertex, or a
                            dataset / scene folder (GT from its scenes; then OUT/semantic beside
                            --pred OUT/instance is scored too). --pred may be predict's OUT folder.
          scannet-semantic  pred and gt: <scene>.txt with one nyu40 label (0..40) per vertex; gt may be a
                            dataset / scene folder.
          s3dis             pred and gt: <room>.txt, one line per point ending in 'semantic instance'
                            (class 0..12, instance -1 = none).
          partnet           one level per run. gt: <shape>.txt 'label*1000+instance' per point (label 0 = other);
                            pred: ScanNet instance format; optional pred/semantic/<shape>.txt labels per point.
                            Or every level at once: pred = predict's OUT (level-<k>/ with classes.txt), gt = the
                            PartNet dataset folder itself (json: ap25, ap50, ap75, sap50, miou); with PartNet's
                            stats/after_merging_label_ids/ beside its data/ (or --partnet-stats) on PartNet's
                            benchmark levels for the categories listed there.
          interactive       pred: clicks.csv 'scene,object,class,iou_1,...,iou_20' (--gt is not read).
          coco              --gt: COCO instances JSON, or an image dataset folder (annotations.json, with
                            --split S its splits/S.txt images only); --pred: results JSON [{image_id,
                            category_id, segmentation (RLE or polygons), score}].
        """;

    public static Command Create()
    {
        var pred = new Option<string>("--pred") { Description = "Prediction folder (or results JSON for coco).", Required = true };
        var gt = new Option<string>("--gt") { Description = "Ground-truth folder (or GT JSON for coco); for the ScanNet metrics also a dataset or scene folder.", Required = true };
        var split = new Option<string?>("--split")
        {
            Description = "ScanNet metrics with a dataset as --gt: evaluate the scenes of ROOT/splits/<split>.txt (each needs a prediction); default all = every prediction file.",
        };
        var columns = new ColumnsOption();
        var metric = new Option<string>("--metric")
        {
            Description = "scannet-instance | scannet-semantic | s3dis | partnet | coco | interactive",
            DefaultValueFactory = _ => "scannet-instance",
        };
        metric.AcceptOnlyFromAmong("scannet-instance", "scannet-semantic", "s3dis", "partnet", "coco", "interactive");
        var csv = new Option<string?>("--csv") { Description = "Write the official 'class,class id,ap,ap50,ap25' CSV (scannet-instance)." };
        var json = new Option<string?>("--json") { Description = "Write every number at full precision as JSON (NaN as null)." };
        var partNetStats = new Option<string?>("--partnet-stats")
        {
            Description = "partnet with level folders: PartNet's stats/ folder (after_merging_label_ids/) for its benchmark levels; default: the one beside the dataset's data/.",
        };
        var command = new Command("evaluate", "Benchmark metrics that agree with the official scripts.\n" + Layouts) { pred, gt, split, metric, csv, json, columns, partNetStats };
        CommandAction.Set(command, (parse, output) =>
        {
            var predPath = parse.GetValue(pred)!;
            var gtPath = parse.GetValue(gt)!;
            var which = parse.GetValue(metric)!;
            var csvPath = parse.GetValue(csv);
            var splitName = parse.GetValue(split) is { } named && named != SceneDataset.AllSplit ? named : null;
            if (csvPath is not null && which != "scannet-instance")
                throw new UsageException("--csv is the official ScanNet instance result file; use it with --metric scannet-instance");
            var statsPath = parse.GetValue(partNetStats);
            if (statsPath is not null && (which != "partnet" || PartNetPredictionLayout.Levels(predPath) == 0))
                throw new UsageException("--partnet-stats gives PartNet's benchmark levels; use it with --metric partnet and the level folders of a parts prediction");
            if (splitName is not null && which is not ("scannet-instance" or "scannet-semantic" or "coco"))
                throw new UsageException($"--split selects scenes or images of a dataset; use it with --metric scannet-instance, scannet-semantic or coco, not {which}");
            var headline = new Dictionary<string, object>();
            IReadOnlyList<int>? partLabels = null;
            // S3DIS ground truth from a dataset is written to text files first (the ScanNet metrics read datasets directly).
            var read = columns.ReadOptions(parse);
            using var fromDataset = which == "s3dis" && DatasetGroundTruth.IsDataset(gtPath, read)
                ? DatasetGroundTruth.Write(gtPath, predPath, which, new Data.Datasets.SceneDatasetOptions { Read = read })
                : null;
            var gtFiles = fromDataset?.Folder ?? gtPath;
            var datasetOptions = new Data.Datasets.SceneDatasetOptions { Read = read };
            object result = which switch
            {
                "scannet-instance" => ScanNetInstance(predPath, gtPath, splitName, output, csvPath, headline, datasetOptions),
                "scannet-semantic" => ScanNetSemantic(predPath, gtPath, splitName, output, headline, datasetOptions),
                "s3dis" => S3dis(predPath, gtFiles, output),
                "partnet" when PartNetPredictionLayout.Levels(predPath) > 0 => PartNetLevels(predPath, gtPath, statsPath, output, headline),
                "partnet" => PartNet(predPath, gtPath, output, out partLabels),
                "interactive" => Interactive(predPath, output),
                _ => Coco(predPath, gtPath, splitName, output, headline),
            };
            var jsonPath = parse.GetValue(json);
            if (jsonPath is not null)
                WriteJson(jsonPath, which, predPath, gtPath, headline, result, partLabels);
            return 0;
        });
        return command;
    }

    private static InstanceApResult ScanNetInstance(string pred, string gt, string? split, TextWriter output, string? csv, Dictionary<string, object> headline, Data.Datasets.SceneDatasetOptions datasetOptions)
    {
        // predict's OUT folder → OUT/instance (and OUT/semantic beside it).
        string instanceDir = Directory.Exists(Path.Combine(pred, ScanNetPredictionWriter.InstanceFolder)) ? Path.Combine(pred, ScanNetPredictionWriter.InstanceFolder) : pred;
        var names = ScanNetFolders.PredictionNames(instanceDir);
        IReadOnlyList<InstanceScene> scenes;
        SceneDataset? dataset = null;
        if (ScanNetGroundTruth.IsTextFolder(gt, names))
        {
            if (split is not null)
                throw new UsageException($"--split {split}: {gt} is a folder of ground-truth text files, not a dataset with splits");
            scenes = ScanNetFolders.LoadInstanceScenes(instanceDir, gt);
        }
        else
        {
            dataset = ScanNetGroundTruth.OpenDataset(gt, names, datasetOptions);
            scenes = ScanNetGroundTruth.LoadInstanceScenes(instanceDir, dataset, split);
        }
        var r = new InstanceAp().Evaluate(scenes);
        output.WriteLine($"ScanNet instance AP over {scenes.Count} scene(s){SplitNote(split)}");
        var rows = r.ClassNames.Select((n, c) => new[] { n, F(r.ClassAp[c]), F(r.ClassAp50[c]), F(r.ClassAp25[c]) }).ToList();
        rows.Add(["average", F(r.Ap), F(r.Ap50), F(r.Ap25)]);
        WriteTable(output, ["what", "AP", "AP_50%", "AP_25%"], rows, separatorBeforeLast: true);
        WriteNotes(output, r.Notes);
        if (csv is not null)
            InstanceApCsv.Write(csv, r);
        headline["ap"] = r.Ap;
        headline["ap50"] = r.Ap50;
        headline["ap25"] = r.Ap25;

        // The semantic predictions beside the instance ones, scored against the same scenes.
        string semanticDir = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(instanceDir))!, ScanNetPredictionWriter.SemanticFolder);
        if (dataset is not null && Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(instanceDir))) == ScanNetPredictionWriter.InstanceFolder
            && Directory.Exists(semanticDir))
        {
            output.WriteLine();
            var semantic = ScanNetSemanticScenes(semanticDir, dataset, split, output);
            headline["miou"] = semantic.MeanIou;
            headline["semantic"] = semantic;
        }
        return r;
    }

    private static SemanticIouResult ScanNetSemantic(string pred, string gt, string? split, TextWriter output, Dictionary<string, object> headline, Data.Datasets.SceneDatasetOptions datasetOptions)
    {
        string semanticDir = Directory.Exists(Path.Combine(pred, ScanNetPredictionWriter.SemanticFolder)) ? Path.Combine(pred, ScanNetPredictionWriter.SemanticFolder) : pred;
        var names = ScanNetFolders.PredictionNames(semanticDir);
        SemanticIouResult r;
        if (ScanNetGroundTruth.IsTextFolder(gt, names))
        {
            if (split is not null)
                throw new UsageException($"--split {split}: {gt} is a folder of ground-truth text files, not a dataset with splits");
            var scenes = ScanNetFolders.LoadSemanticScenes(semanticDir, gt);
            r = PrintSemantic(new SemanticIou().Evaluate(scenes.Select(s => (s.GroundTruth, s.Prediction))), scenes.Count, split, output);
        }
        else
        {
            r = ScanNetSemanticScenes(semanticDir, ScanNetGroundTruth.OpenDataset(gt, names, datasetOptions), split, output);
        }
        headline["miou"] = r.MeanIou;
        return r;
    }

    private static SemanticIouResult ScanNetSemanticScenes(string semanticDir, SceneDataset dataset, string? split, TextWriter output)
    {
        var scenes = ScanNetGroundTruth.LoadSemanticScenes(semanticDir, dataset, split);
        return PrintSemantic(new SemanticIou().Evaluate(scenes.Select(s => (s.GroundTruth, s.Prediction))), scenes.Count, split, output);
    }

    private static SemanticIouResult PrintSemantic(SemanticIouResult r, int sceneCount, string? split, TextWriter output)
    {
        output.WriteLine($"ScanNet semantic IoU over {sceneCount} scene(s){SplitNote(split)}");
        var rows = r.ClassNames.Select((n, c) => new[] { n, F(r.ClassIou[c]), $"{r.TruePositives[c]}/{r.Denominators[c]}" }).ToList();
        rows.Add(["mean", F(r.MeanIou), ""]);
        rows.Add(["accuracy", F(r.OverallAccuracy), ""]);
        WriteTable(output, ["class", "IoU", "TP/(TP+FP+FN)"], rows, separatorBeforeLast: false);
        WriteNotes(output, r.Notes);
        return r;
    }

    private static string SplitNote(string? split) => split is null ? "" : $" of split {split}";

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

    /// <summary>Multi-level part instances (predict's level-k folders) against a PartNet dataset folder or shape folder.</summary>
    private static PartLevelsResult PartNetLevels(string pred, string gt, string? stats, TextWriter output, Dictionary<string, object> headline)
    {
        if (stats is not null && !Directory.Exists(stats)) throw new UsageException($"--partnet-stats {stats}: no such folder");
        var dataset = SceneDataset.Open(gt, new SceneDatasetOptions { PartNetStats = stats });
        if (dataset.Scenes.Any(s => s.Format != "partnet"))
            throw new UsageException($"--gt {gt}: with the multi-level predictions of {pred} (level-1/, …) the ground truth is a PartNet dataset folder of shape folders (result.json + point_sample/)");
        var benchmark = dataset.LoadPartNetBenchmark();
        var r = PartLevelEvaluation.Evaluate(pred, dataset.Scenes.ToDictionary(s => s.Name, s => s.Path, StringComparer.Ordinal), benchmark);
        output.WriteLine($"PartNet part instance AP per level over {r.Cells.Select(c => c.Category).Distinct().Count()} categor(ies)"
            + (benchmark is null ? "" : $"; PartNet's benchmark levels ({benchmark.Folder}) for the categories it lists"));
        var rows = r.Cells.Select(c => new[]
        {
            c.Category, c.Level.ToString(CultureInfo.InvariantCulture), c.Shapes.ToString(CultureInfo.InvariantCulture),
            F(c.Ap25), F(c.Ap50), F(c.Ap75), F(c.ShapeAp50), F(c.MeanIou),
        }).ToList();
        rows.AddRange(r.Levels.Select(l => new[] { "mean", l.Level.ToString(CultureInfo.InvariantCulture), "", F(l.Ap25), F(l.Ap50), F(l.Ap75), F(l.ShapeAp50), F(l.MeanIou) }));
        rows.Add(["average", "", "", F(r.Ap25), F(r.Ap50), F(r.Ap75), F(r.ShapeAp50), F(r.MeanIou)]);
        WriteTable(output, ["category", "level", "shapes", "AP25", "AP50", "AP75", "s-AP50", "mIoU"], rows, separatorBeforeLast: true);
        WriteNotes(output, r.Notes);
        headline["ap25"] = r.Ap25;
        headline["ap50"] = r.Ap50;
        headline["ap75"] = r.Ap75;
        headline["sap50"] = r.ShapeAp50;
        headline["miou"] = r.MeanIou;
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

    /// <summary>COCO mask AP; <paramref name="gt"/> is a GT JSON or an image dataset folder (its annotations.json), whose
    /// <paramref name="split"/> (splits/&lt;split&gt;.txt) then restricts the images evaluated.</summary>
    private static CocoMaskApResult Coco(string pred, string gt, string? split, TextWriter output, Dictionary<string, object> headline)
    {
        CocoMaskApResult r;
        if (Directory.Exists(gt))
        {
            var dataset = ImageDataset.Open(gt);
            var data = CocoResultsJson.Load(ImageDataset.AnnotationsPath(gt), pred);
            var images = (split is null ? dataset.Split(ImageDataset.AllSplit) : dataset.Split(split)).Select(i => i.Id).ToHashSet();
            r = new CocoMaskAp().Evaluate([.. data.ImageIds.Where(images.Contains)], data.CategoryIds,
                [.. data.GroundTruths.Where(g => images.Contains(g.ImageId))], [.. data.Detections.Where(d => images.Contains(d.ImageId))], data.Notes);
        }
        else
        {
            if (split is not null) throw new UsageException("--split with --metric coco needs --gt to be an image dataset folder (annotations.json + splits/)");
            r = CocoMaskAp.EvaluateFiles(gt, pred);
        }
        headline["ap"] = r.Ap;
        headline["ap50"] = r.Ap50;
        headline["ap75"] = r.Ap75;
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

    /// <summary>
    /// <c>{"metric", "pred", "gt", headline numbers ("ap", "ap50", "ap25" for the instance metric, "miou" for the
    /// semantic one or the semantic folder scored beside the instances), "result": every number, "semantic": the
    /// semantic result scored beside the instances}</c>.
    /// </summary>
    private static void WriteJson(string path, string metric, string pred, string gt, Dictionary<string, object> headline, object result, IReadOnlyList<int>? partLabels)
    {
        var document = new Dictionary<string, object>
        {
            ["metric"] = metric,
            ["pred"] = Path.GetFullPath(pred),
            ["gt"] = Path.GetFullPath(gt),
        };
        foreach (var (key, value) in headline.Where(h => h.Value is double))
            document[key] = value;
        document["result"] = result;
        foreach (var (key, value) in headline.Where(h => h.Value is not double))
            document[key] = value;
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
