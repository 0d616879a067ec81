using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Clickscape.Data.Datasets;
using Clickscape.Data.Formats.Png;
using Clickscape.Data.IO;
using Clickscape.Data.Rendering;

namespace Clickscape.Cli.Commands;

/// <summary>
/// <c>clickscape render SCENE --out scene.png [--color rgb|semantic|instance] [--view top|oblique|both] [--width 1600]</c>:
/// a point-splat picture of any supported scene (<see cref="SceneRenderer"/>), written atomically.
/// </summary>
internal static class RenderCommand
{
    public static Command Create()
    {
        var scenePath = new Argument<string>("scene") { Description = "A scene file or scene folder (any format `info` reads)." };
        var outPath = new Option<string>("--out") { Description = "Output PNG file.", Required = true };
        var color = new Option<string>("--color") { Description = "Colour by scan colour, semantic class or instance.", DefaultValueFactory = _ => "rgb" };
        color.AcceptOnlyFromAmong("rgb", "semantic", "instance");
        var view = new Option<string>("--view") { Description = "Top-down, oblique, or both side by side.", DefaultValueFactory = _ => "both" };
        view.AcceptOnlyFromAmong("top", "oblique", "both");
        var width = new Option<int>("--width") { Description = "Picture width in pixels.", DefaultValueFactory = _ => 1600 };
        var columns = new ColumnsOption();
        var command = new Command("render", "Draw a scene to a PNG (point splatting; top-down and oblique views).") { scenePath, outPath, color, view, width, columns };
        CommandAction.Set(command, (parse, output) =>
        {
            string target = parse.GetValue(outPath)!;
            // The file is PNG whatever its name says: a .jpg holding PNG bytes would be wrong in silence.
            if (!string.Equals(Path.GetExtension(target), ".png", StringComparison.OrdinalIgnoreCase))
                throw new UsageException($"--out {target}: render writes PNG, expected a file name ending in .png");
            int w = parse.GetValue(width);
            if (w is < 16 or > 16384) throw new UsageException($"--width {w}: expected 16..16384 pixels");
            var options = new RenderOptions(
                w,
                Enum.Parse<RenderColorMode>(parse.GetValue(color)!, ignoreCase: true),
                Enum.Parse<RenderView>(parse.GetValue(view)!, ignoreCase: true));
            var clock = Stopwatch.StartNew();
            string source = parse.GetValue(scenePath)!;
            var scene = SceneDataset.Open(source, new SceneDatasetOptions { Read = columns.ReadOptions(parse) }).SingleScene().Load();
            if (scene.Validate() is { } problem) throw new DataFormatException(source, problem);
            if (options.Color == RenderColorMode.Semantic && scene.SemanticLabels is null)
                throw new DataFormatException(source, "the scene has no semantic labels to colour by (--color semantic)");
            if (options.Color == RenderColorMode.Instance && scene.InstanceIds is null)
                throw new DataFormatException(source, "the scene has no instance ids to colour by (--color instance)");
            var image = SceneRenderer.Render(scene, options);
            PngEncoder.Save(target, image);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{scene.Name}: {scene.PointCount} points -> {target} ({image.Width}×{image.Height}, {options.Color.ToString().ToLowerInvariant()}, {clock.Elapsed.TotalSeconds:F1} s)"));
            return 0;
        });
        return command;
    }
}
