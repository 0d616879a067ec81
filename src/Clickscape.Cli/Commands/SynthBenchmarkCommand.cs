using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Clickscape.Data.Synthetic.Scenes;

namespace Clickscape.Cli.Commands;

/// <summary>
/// <c>clickscape synth benchmark --out DIR [--shard i/n]</c>: the one fixed generated dataset every table in RESULTS.md reports on —
/// <see cref="Rooms"/> small rooms (20–40 thousand vertices each) of seed <see cref="Seed"/>, scenes
/// <c>scene0000_00</c>…<c>scene0149_00</c> in the ScanNet layout, every fifth scene in <c>splits/val.txt</c>
/// (120 train, 30 val). Small rooms keep a CPU training of the <c>cpu</c> preset within about 20 minutes on 2 cores.
/// A subcommand of <c>synth</c>.
/// </summary>
/// <remarks>
/// The interface is fixed: no seed, size or count options. The hidden <c>--rooms N</c> writes only the first N rooms
/// of the same dataset (identical bytes, splits by the same rule); it exists for tests and is not a benchmark.
/// </remarks>
internal static class SynthBenchmarkCommand
{
    /// <summary>The benchmark's seed.</summary>
    public const ulong Seed = 2026;

    /// <summary>Rooms in the benchmark.</summary>
    public const int Rooms = 150;

    /// <summary>Room size preset.</summary>
    public const SceneSize Size = SceneSize.Small;

    public static Command Create()
    {
        var outDir = new Option<string>("--out") { Description = "Output folder (ScanNet layout: scans/<scene>/…, splits/train.txt, splits/val.txt).", Required = true };
        var rooms = new Option<int>("--rooms")
        {
            Description = "Testing only: write just the first N rooms of the benchmark.",
            DefaultValueFactory = _ => Rooms,
            Hidden = true,
        };
        var shard = new ShardOption();
        var command = new Command("benchmark", string.Create(CultureInfo.InvariantCulture,
            $"Generate the fixed benchmark dataset of RESULTS.md: {Rooms} small rooms (20–40k vertices), seed {Seed}, ScanNet layout, 120 train / 30 val (every fifth scene)."))
        {
            outDir, rooms, shard,
        };
        CommandAction.Set(command, (parse, output) =>
        {
            int n = parse.GetValue(rooms);
            if (n is < 1 or > Rooms)
                throw new UsageException($"--rooms {n}: expected 1..{Rooms}");
            string folder = parse.GetValue(outDir)!;
            var clock = Stopwatch.StartNew();
            long vertices = 0;
            int fewest = int.MaxValue, most = 0, written = 0;
            SceneGenerator.WriteDataset(folder, n, Seed, Size, (i, s) =>
            {
                int count = s.Scene.PointCount;
                written++;
                vertices += count;
                fewest = Math.Min(fewest, count);
                most = Math.Max(most, count);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{s.Scene.Name}: {s.Layout.Kind}, {count} vertices, {s.Scene.InstanceIds!.Max()} instances ({i + 1}/{n}, {clock.Elapsed.TotalSeconds:F0} s)"));
            }, shard.Get(parse));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"wrote the benchmark (seed {Seed}, {written} of {n} small rooms, {vertices} vertices, {(written == 0 ? 0 : fewest)}–{most} per room) to {folder} in {clock.Elapsed.TotalSeconds:F1} s"));
            return 0;
        });
        return command;
    }
}
