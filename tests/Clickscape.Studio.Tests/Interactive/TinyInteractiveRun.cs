using System.Text.Json.Nodes;
using Clickscape.Training.Configs;
using Clickscape.Training.Engine;
using Clickscape.Training.Methods;
using Clickscape.Training.Tests.Shared;

namespace Clickscape.Studio.Tests.Interactive;

/// <summary>
/// A real, tiny <c>interactive-fast</c> run for the refine tests: 2 training steps of a U-Net of widths 8, 16 on three
/// generated 3 000-point crops (seconds, one thread), trained once per test process with the trainer <c>clickscape train</c>
/// uses and read by Studio through the same loading path as <c>interactive evaluate</c>. Its masks are poor (two steps),
/// which the tests do not need: they check the plumbing and that the page shows the server's masks.
/// </summary>
internal static class TinyInteractiveRun
{
    private static readonly Lazy<string> Folder = new(() =>
    {
        var root = Path.Combine(Path.GetTempPath(), $"clickscape-studio-interactive-{Environment.ProcessId}");
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        var data = TinyDataset.Create(Path.Combine(root, "data"), 3, points: 3000);
        var method = MethodRegistry.CreateDefault().Get("interactive-fast");
        var json = method.Configure(ConfigLoader.LoadPreset("cpu"));
        json = ConfigLoader.Merge(json, JsonNode.Parse("""
            {
              "data": { "batch_size": 2 },
              "train": { "epochs": 1, "max_steps": 2, "seed": 3, "threads": 1 },
              "model": { "type": "InteractiveFast-v1", "widths": [8, 16], "blocks": 1, "head_width": 8 }
            }
            """)!.AsObject());
        json["method"] = "interactive-fast";
        var run = Path.Combine(root, "run");
        new Trainer().Run(TrainConfig.FromJson(json), new TrainingRequest { Data = data, Run = run });
        return run;
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The run folder (config.json, checkpoints/last.safetensors).</summary>
    public static string Path0 => Folder.Value;
}
