using System.Globalization;
using System.Net;
using System.Text;
using Clickscape.Data.IO;

namespace Clickscape.Training.Reporting;

/// <summary>
/// A page that puts methods trained on the same data side by side (the demo's <c>report.html</c>): one metric row per
/// method with its share of the first row's score (the paper's "click ≈ 90 % of full"), and rows of pictures — the
/// ground truth, then each method's prediction of the same view — with a link to each run's own report.
/// </summary>
public static class ComparisonReport
{
    /// <summary>One method's scores on the val split.</summary>
    /// <param name="Method">Method name.</param>
    /// <param name="Supervision">What it was trained from.</param>
    /// <param name="Ap">AP (0..1).</param>
    /// <param name="Ap50">AP50.</param>
    /// <param name="Ap25">AP25.</param>
    /// <param name="MeanIou">Semantic mIoU.</param>
    /// <param name="Steps">Optimizer steps trained.</param>
    /// <param name="Minutes">Training minutes.</param>
    /// <param name="Report">Relative link to the run's report.</param>
    public sealed record Row(string Method, string Supervision, double Ap, double Ap50, double Ap25, double MeanIou, int Steps, double Minutes, string Report);

    /// <summary>The page for <paramref name="rows"/> (the first is the reference of the percentages) and picture rows (truth, then one per method).</summary>
    public static string Render(int rooms, int clicks, IReadOnlyList<Row> rows, IReadOnlyList<(string Truth, string First, string Second)> pictures)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(pictures);
        var inv = CultureInfo.InvariantCulture;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Clickscape demo</title>\n<style>")
            .Append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}")
            .Append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}")
            .Append(".pictures{display:grid;grid-template-columns:1fr 1fr 1fr;gap:1em}figure{margin:0}figcaption{font-size:.9em;color:#555}img{max-width:100%}")
            .Append("</style></head><body>\n<h1>Clickscape demo: dense labels vs one click per object</h1>\n");
        html.Append(inv, $"<p>{rooms} generated rooms; {clicks} simulated clicks (one per object) on them. Both methods trained with the same preset and time budget; scores on the val rooms (official ScanNet metrics).</p>\n");
        html.Append("<table><tr><th>method</th><th>trained from</th><th>AP</th><th>AP50</th><th>AP25</th><th>mIoU</th><th>AP50 / first row</th><th>steps</th><th>minutes</th><th>run report</th></tr>\n");
        foreach (var r in rows)
        {
            html.Append("<tr><td>").Append(Enc(r.Method)).Append("</td><td>").Append(Enc(r.Supervision)).Append("</td>");
            foreach (var v in new[] { r.Ap, r.Ap50, r.Ap25, r.MeanIou }) html.Append("<td>").Append(Percent(v)).Append("</td>");
            html.Append("<td>").Append(rows[0].Ap50 > 0 && double.IsFinite(r.Ap50) ? (100 * r.Ap50 / rows[0].Ap50).ToString("F0", inv) + " %" : "–").Append("</td>")
                .Append(inv, $"<td>{r.Steps}</td><td>{r.Minutes:F1}</td>").Append("<td><a href=\"").Append(Enc(r.Report)).Append("\">report</a></td></tr>\n");
        }
        html.Append("</table>\n<p><i>The paper (ClickSeg, ScanNet val): click-level 51.9 vs fully supervised 57.7 AP50, 90 %.</i></p>\n");
        if (pictures.Count > 0)
        {
            html.Append("<h2>The first val room</h2>\n<div class=\"pictures\">\n");
            foreach (var (truth, first, second) in pictures)
                foreach (var (path, caption) in new[] { (truth, "ground truth"), (first, rows.Count > 0 ? rows[0].Method : ""), (second, rows.Count > 1 ? rows[1].Method : "") })
                {
                    if (!File.Exists(path)) throw new DataFormatException(path, "report image not found (expected a PNG file)");
                    html.Append("<figure><img alt=\"").Append(Enc(Path.GetFileName(path))).Append("\" src=\"data:image/png;base64,")
                        .Append(Convert.ToBase64String(File.ReadAllBytes(path))).Append("\"><figcaption>").Append(Enc(caption + " — " + Path.GetFileName(path))).Append("</figcaption></figure>\n");
                }
            html.Append("</div>\n");
        }
        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static string Percent(double v) => double.IsFinite(v) ? (100 * v).ToString("F1", CultureInfo.InvariantCulture) : "–";

    private static string Enc(string s) => WebUtility.HtmlEncode(s);
}
