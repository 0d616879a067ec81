using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Clickscape.Data.IO;
using Clickscape.Training.Configs;
using Clickscape.Training.Engine;

namespace Clickscape.Training.Reporting;

/// <summary>
/// <c>RUN/report.html</c>: one self-contained page (no scripts, no external files) with an inline SVG learning curve
/// per loss term (from <c>log.jsonl</c>), the evaluations as a table (AP, AP50, AP25, mIoU per evaluation, and per
/// class for the last one), embedded PNG pictures (e.g. rendered predictions beside ground truth) and the resolved
/// configuration.
/// </summary>
public static class RunReport
{
    private static readonly string[] NotTerms = ["kind", "step", "epoch", "lr", "voxels", "scenes_per_s", "grad_norm", "sync_s", "time_data_s", "time_forward_s", "time_backward_s", "time_optimizer_s"];

    /// <summary>Writes the report of <paramref name="run"/> (atomically); <paramref name="images"/> are PNG files to embed.</summary>
    public static void Write(RunFolder run, TrainConfig config, IReadOnlyList<string>? images = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(config);
        var entries = File.Exists(run.Log) ? RunLog.Read(run.Log) : [];
        AtomicFile.WriteAllText(run.Report, Render(Path.GetFileName(run.Root), config, entries, (images ?? []).Select(i => Path.IsPathRooted(i) ? i : Path.Combine(run.Root, i)).ToList()));
    }

    /// <summary>The page for the given log entries.</summary>
    public static string Render(string title, TrainConfig config, IReadOnlyList<JsonObject> entries, IReadOnlyList<string> images)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(images);
        var steps = entries.Where(e => Str(e, "kind") == "step").ToList();
        var evals = entries.Where(e => Str(e, "kind") == "eval").ToList();
        var pseudo = entries.Where(e => Str(e, "kind") == "pseudo_eval").ToList();
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Clickscape run ").Append(Enc(title)).Append("</title>\n<style>")
            .Append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}h1{font-size:1.4em}table{border-collapse:collapse;margin:1em 0}")
            .Append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}")
            .Append(".curves{display:flex;flex-wrap:wrap;gap:1em}figure{margin:0}figcaption{font-size:.9em;color:#555}pre{background:#f7f7f7;padding:1em;font-size:.8em}img{max-width:100%}.pictures{display:grid;grid-template-columns:1fr 1fr;gap:1em}")
            .Append("</style></head><body>\n");
        html.Append("<h1>Clickscape run ").Append(Enc(title)).Append("</h1>\n<p>method <b>").Append(Enc(config.Method)).Append("</b>, ")
            .Append(steps.Count.ToString(CultureInfo.InvariantCulture)).Append(" steps logged, ")
            .Append(evals.Count.ToString(CultureInfo.InvariantCulture)).Append(" evaluations.</p>\n");

        html.Append("<h2>Learning curves</h2>\n<div class=\"curves\">\n");
        var terms = steps.SelectMany(e => e.Select(p => p.Key)).Where(k => !NotTerms.Contains(k)).Distinct().ToList();
        foreach (var term in terms)
        {
            var points = steps.Select(e => (X: Num(e, "step"), Y: Num(e, term))).Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
            html.Append("<figure>").Append(Svg.LineChart(points, 360, 200)).Append("<figcaption>").Append(Enc(term)).Append(" per step</figcaption></figure>\n");
        }
        if (evals.Count > 0)
        {
            foreach (var metric in new[] { "ap", "miou" })
            {
                var points = evals.Select(e => (X: Num(e, "step"), Y: Num(e, metric))).Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
                if (points.Count > 0) html.Append("<figure>").Append(Svg.LineChart(points, 360, 200)).Append("<figcaption>val ").Append(metric).Append(" per evaluation</figcaption></figure>\n");
            }
        }
        foreach (var metric in new[] { "ap50", "miou" })
        {
            var points = pseudo.Select(e => (X: Num(e, "step"), Y: Num(e, metric))).Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
            if (points.Count > 0) html.Append("<figure>").Append(Svg.LineChart(points, 360, 200)).Append("<figcaption>pseudo labels of the training scenes: ").Append(metric).Append("</figcaption></figure>\n");
        }
        html.Append("</div>\n");

        html.Append("<h2>Evaluations</h2>\n");
        if (evals.Count == 0) html.Append("<p>No evaluation yet.</p>\n");
        else
        {
            MetricTable(html, evals);
            if (evals[^1]["classes"] is JsonObject classes)
            {
                html.Append("<h3>Per class (last evaluation)</h3>\n<table><tr><th>class</th><th>AP</th><th>AP50</th><th>AP25</th><th>IoU</th></tr>\n");
                foreach (var (name, node) in classes)
                {
                    if (node is not JsonObject row) continue;
                    html.Append("<tr><td>").Append(Enc(name)).Append("</td>");
                    foreach (var k in new[] { "ap", "ap50", "ap25", "iou" }) html.Append("<td>").Append(Percent(Num(row, k))).Append("</td>");
                    html.Append("</tr>\n");
                }
                html.Append("</table>\n");
            }
        }

        if (pseudo.Count > 0)
        {
            html.Append("<h2>Pseudo labels of the training scenes</h2>\n<p>What the method would label its clicked training scenes with at each point of training, scored against their ground truth (measured only, never trained on; ClickSeg Fig. 3).</p>\n");
            MetricTable(html, pseudo);
        }

        if (images.Count > 0)
        {
            // Two per row: callers pass pictures in pairs (ground truth, then prediction) so they sit side by side.
            html.Append("<h2>Pictures</h2>\n<div class=\"pictures\">\n");
            foreach (var image in images)
            {
                if (!File.Exists(image)) throw new DataFormatException(image, "report image not found (expected a PNG file)");
                html.Append("<figure><img alt=\"").Append(Enc(Path.GetFileName(image))).Append("\" src=\"data:image/png;base64,")
                    .Append(Convert.ToBase64String(File.ReadAllBytes(image))).Append("\"><figcaption>").Append(Enc(Path.GetFileName(image))).Append("</figcaption></figure>\n");
            }
            html.Append("</div>\n");
        }
        html.Append("<h2>Configuration</h2>\n<pre>").Append(Enc(config.ToJsonString())).Append("</pre>\n</body></html>\n");
        return html.ToString();
    }

    private static void MetricTable(StringBuilder html, IReadOnlyList<JsonObject> rows)
    {
        html.Append("<table><tr><th>step</th><th>split</th><th>scenes</th><th>AP</th><th>AP50</th><th>AP25</th><th>mIoU</th><th>accuracy</th></tr>\n");
        foreach (var e in rows)
        {
            html.Append("<tr><td>").Append(Num(e, "step").ToString(CultureInfo.InvariantCulture)).Append("</td><td>").Append(Enc(Str(e, "split") ?? "")).Append("</td><td>")
                .Append(Num(e, "scenes").ToString(CultureInfo.InvariantCulture)).Append("</td>");
            foreach (var k in new[] { "ap", "ap50", "ap25", "miou", "accuracy" }) html.Append("<td>").Append(Percent(Num(e, k))).Append("</td>");
            html.Append("</tr>\n");
        }
        html.Append("</table>\n");
    }

    private static string? Str(JsonObject e, string key) => e[key] is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    private static double Num(JsonObject e, string key) => e[key] is JsonValue v && v.TryGetValue(out double d) ? d : double.NaN;

    private static string Percent(double v) => double.IsFinite(v) ? (100 * v).ToString("F1", CultureInfo.InvariantCulture) : "–";

    private static string Enc(string s) => WebUtility.HtmlEncode(s);
}
