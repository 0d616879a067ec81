using System.Text.Json.Nodes;
using Clickscape.Training.Reporting;
using Clickscape.Training.Tests.Shared;

namespace Clickscape.Training.Tests.Reporting;

public sealed class RunReportTests : TempFolder
{
    [Fact]
    public void Report_HasACurvePerTerm_TheEvaluationTable_AndEmbeddedImages()
    {
        var entries = new List<JsonObject>();
        for (int s = 1; s <= 5; s++)
            entries.Add(JsonNode.Parse($$"""{"kind":"step","step":{{s}},"epoch":1,"lr":0.001,"loss":{{5 - s}},"semantic":{{3 - 0.2 * s}},"offset":0.5,"scenes_per_s":2}""")!.AsObject());
        entries.Add(JsonNode.Parse("""{"kind":"eval","step":5,"epoch":1,"split":"val","scenes":2,"ap":0.25,"ap50":0.5,"ap25":0.75,"miou":0.4,"accuracy":0.8,"classes":{"chair":{"iou":0.6,"ap":0.3,"ap50":0.5,"ap25":0.9}}}""")!.AsObject());
        var png = Path.Combine(Dir, "pred.png");
        File.WriteAllBytes(png, [0x89, 0x50, 0x4E, 0x47]);
        var html = RunReport.Render("run", TinyDataset.Config(), entries, [png]);
        Assert.Equal(5, CountOf(html, "<svg")); // loss, semantic, offset, val ap, val miou
        Assert.Contains("loss per step", html, StringComparison.Ordinal);
        Assert.DoesNotContain("scenes_per_s per step", html, StringComparison.Ordinal);
        Assert.Contains("<td>25.0</td><td>50.0</td><td>75.0</td><td>40.0</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>chair</td>", html, StringComparison.Ordinal);
        Assert.Contains("data:image/png;base64,iVBORw==", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
    }

    private static int CountOf(string text, string what)
    {
        int n = 0;
        for (int i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + 1, StringComparison.Ordinal)) n++;
        return n;
    }
}
