using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Clickscape.Training.Configs;
using Clickscape.Training.Methods.PointWssis;

namespace Clickscape.Cli.Commands;

/// <summary>
/// <c>clickscape train --method pointwssis --data DIR --out RUN [--full-fraction F] [--config FILE] [--split train] [--seed S]
/// [--batch-size B] [--threads N]</c>: the PointWSSIS pipeline (<see cref="PointWssisPipeline"/>) on an image dataset.
/// <c>--config</c> is a JSON object of <see cref="PointWssisOptions"/> keys (snake_case: teacher_steps, student_steps,
/// refine_steps, level_selection, refine, compare_rough, pseudo_labels, …); the options given on the command line win.
/// </summary>
internal static class PointWssisTrain
{
    public static int Run(ParseResult parse, TextWriter output, Option<string> data, Option<string?> outDir, Option<string?> config, Option<long?> seed,
        Option<int?> batch, Option<int?> threads, Option<double?> fullFraction, Option<string?> resume, Option<string> split)
    {
        if (parse.GetValue(resume) is not null) throw new UsageException($"--resume: {PointWssisPipeline.MethodName} runs are sized by steps and start afresh; give --out");
        string run = parse.GetValue(outDir) ?? throw new UsageException("--out RUN is required");
        var json = new JsonObject();
        if (parse.GetValue(config) is { } file)
        {
            if (!File.Exists(file)) throw new UsageException($"--config {file}: no such file");
            try
            {
                json = JsonNode.Parse(File.ReadAllText(file), documentOptions: ConfigLoader.DocumentOptions) as JsonObject ?? throw new UsageException($"--config {file}: expected a JSON object");
            }
            catch (JsonException e)
            {
                throw new UsageException($"--config {file}: not valid JSON ({e.Message.Split('\n')[0]})", e);
            }
        }
        if (parse.GetValue(fullFraction) is double f) json["full_fraction"] = f;
        if (parse.GetValue(seed) is long s) json["seed"] = s;
        if (parse.GetValue(batch) is int b) json["batch_size"] = b;
        if (parse.GetValue(threads) is int t)
        {
            if (t < 1) throw new UsageException($"--threads {t}: expected ≥ 1");
            json["threads"] = t;
        }
        PointWssisOptions options;
        try
        {
            options = PointWssisOptions.Parse(json.ToJsonString(), parse.GetValue(config) ?? "options");
        }
        catch (ConfigException e)
        {
            throw new UsageException(e.Message, e);
        }
        var outcome = PointWssisPipeline.Run(parse.GetValue(data)!, run, options, line => output.WriteLine(line), parse.GetValue(split)!);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"finished: {outcome.FullImages} full + {outcome.PointImages} point images; models {string.Join(", ", outcome.Models)} → {Path.GetFullPath(run)}"));
        return 0;
    }
}
