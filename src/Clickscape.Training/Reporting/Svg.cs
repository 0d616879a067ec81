using System.Globalization;
using System.Text;

namespace Clickscape.Training.Reporting;

/// <summary>Inline SVG line charts for the report (axes with min/max labels, one polyline downsampled to ≤ 600 points;
/// markers on the points of short series such as evaluations).</summary>
public static class Svg
{
    /// <summary>A <paramref name="width"/> × <paramref name="height"/> chart of <paramref name="points"/> (x ascending).</summary>
    public static string LineChart(IReadOnlyList<(double X, double Y)> points, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(points);
        const int left = 50, right = 10, top = 10, bottom = 25;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left}\" y=\"{top}\" width=\"{width - left - right}\" height=\"{height - top - bottom}\" fill=\"#fcfcfc\" stroke=\"#bbb\"/>");
        if (points.Count > 0)
        {
            var shown = points.Count <= 600 ? points : Enumerable.Range(0, 600).Select(i => points[(int)((long)i * (points.Count - 1) / 599)]).ToList();
            double x0 = shown.Min(p => p.X), x1 = shown.Max(p => p.X), y0 = shown.Min(p => p.Y), y1 = shown.Max(p => p.Y);
            if (x1 == x0) x1 = x0 + 1;
            if (y1 == y0) { y0 -= 0.5; y1 += 0.5; }
            double sx = (width - left - right) / (x1 - x0), sy = (height - top - bottom) / (y1 - y0);
            svg.Append("<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.5\" points=\"");
            foreach (var (x, y) in shown)
                svg.Append(CultureInfo.InvariantCulture, $"{left + (x - x0) * sx:F1},{top + (y1 - y) * sy:F1} ");
            svg.Append("\"/>");
            if (shown.Count <= 60)
                foreach (var (x, y) in shown)
                    svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{left + (x - x0) * sx:F1}\" cy=\"{top + (y1 - y) * sy:F1}\" r=\"2.5\" fill=\"#1f77b4\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 4}\" y=\"{top + 10}\" font-size=\"10\" text-anchor=\"end\">{y1:G4}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 4}\" y=\"{height - bottom}\" font-size=\"10\" text-anchor=\"end\">{y0:G4}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"{height - 8}\" font-size=\"10\">{x0:G6}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{width - right}\" y=\"{height - 8}\" font-size=\"10\" text-anchor=\"end\">{x1:G6}</text>");
        }
        svg.Append("</svg>");
        return svg.ToString();
    }
}
