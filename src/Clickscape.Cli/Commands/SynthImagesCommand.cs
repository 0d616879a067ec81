using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Clickscape.Data.Synthetic.Images;

namespace Clickscape.Cli.Commands;

/// <summary>
/// <c>clickscape synth images --count N --out DIR [--seed S] [--size W H]</c>: generated images of overlapping
/// textured objects (<see cref="ImageSynthesizer"/>) as <c>DIR/images/*.png</c> + <c>DIR/annotations.json</c>
/// in COCO instance format. A subcommand of <c>synth</c>.
/// </summary>
internal static class SynthImagesCommand
{
    public static Command Create()
    {
        var count = new Option<int>("--count") { Description = "Number of images.", DefaultValueFactory = _ => 20 };
        var outDir = new Option<string>("--out") { Description = "Output folder (created if missing).", Required = true };
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed gives the same dataset.", DefaultValueFactory = _ => 0 };
        var size = new Option<int[]>("--size")
        {
            Description = "Image width and height in pixels.",
            Arity = new ArgumentArity(2, 2),
            AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => [256, 256],
        };
        var command = new Command("images", "Generate images of overlapping textured objects with COCO instance masks (PNG + annotations.json).")
        {
            count, outDir, seed, size,
        };
        CommandAction.Set(command, (parse, output) =>
        {
            int n = parse.GetValue(count);
            var wh = parse.GetValue(size)!;
            if (n < 1) throw new UsageException($"--count {n}: expected at least 1");
            if (wh.Length != 2 || wh[0] is < 16 or > 8192 || wh[1] is < 16 or > 8192)
                throw new UsageException($"--size {string.Join(' ', wh)}: expected width and height in 16..8192");
            string folder = parse.GetValue(outDir)!;
            var clock = Stopwatch.StartNew();
            var dataset = ImageDatasetWriter.Write(folder, n, parse.GetValue(seed), wh[0], wh[1]);
            var perClass = dataset.Annotations.GroupBy(a => a.CategoryId).ToDictionary(g => g.Key, g => g.Count());
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{folder}: {dataset.Images.Count} images {wh[0]}×{wh[1]}, {dataset.Annotations.Count} objects ({clock.Elapsed.TotalSeconds:F1} s)"));
            output.WriteLine("  " + string.Join(", ", dataset.Categories.Select(c => $"{c.Name} {perClass.GetValueOrDefault(c.Id)}")));
            return 0;
        });
        return command;
    }
}
