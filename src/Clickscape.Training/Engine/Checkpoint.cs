using System.Globalization;
using System.Text.Json;
using Clickscape.Tensors;
using Clickscape.Tensors.Nn;
using Clickscape.Tensors.Optim;
using Clickscape.Tensors.Serialization;
using Clickscape.Training.Configs;

namespace Clickscape.Training.Engine;

/// <summary>
/// A training checkpoint: one safetensors file (written atomically) holding the model's parameters and buffers under
/// their own names, the optimizer state under <c>optimizer.&lt;slot&gt;.&lt;parameter name&gt;</c> (e.g.
/// <c>optimizer.exp_avg.backbone.input_conv.weight</c>) and <c>optimizer.step</c>, and in the metadata the format
/// (<c>clickscape.checkpoint/1</c>), the method, the resolved configuration and the <see cref="TrainingState"/>
/// (step, epoch, schedule, RNG state) as JSON. Other frameworks read the weights; Clickscape resumes from it.
/// </summary>
public static class Checkpoint
{
    /// <summary>The format tag in the metadata.</summary>
    public const string Format = "clickscape.checkpoint/1";

    private const string OptimizerPrefix = "optimizer.";

    /// <summary>Writes the checkpoint.</summary>
    public static void Save(string path, Module model, Optimizer? optimizer, TrainingState state, TrainConfig config)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(config);
        var tensors = new Dictionary<string, Tensor>(model.StateDict(), StringComparer.Ordinal);
        var owned = new List<Tensor>();
        try
        {
            if (optimizer is not null)
            {
                var names = ParameterNames(model, optimizer);
                foreach (var (key, t) in optimizer.StateDict())
                {
                    owned.Add(t);
                    int dot = key.LastIndexOf('.');
                    string name = dot < 0 ? key : key[..dot] + "." + names[int.Parse(key[(dot + 1)..], CultureInfo.InvariantCulture)];
                    tensors[OptimizerPrefix + name] = t;
                }
            }
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            SafeTensors.Save(path, tensors, new Dictionary<string, string>
            {
                ["format"] = Format,
                ["method"] = config.Method,
                ["config"] = config.Json.ToJsonString(),
                ["state"] = JsonSerializer.Serialize(state, ConfigBinding.Options),
            });
        }
        finally
        {
            foreach (var t in owned) t.Dispose();
        }
    }

    /// <summary>The configuration and state stored in the checkpoint at <paramref name="path"/>.</summary>
    public static (TrainConfig Config, TrainingState State) ReadMetadata(string path)
    {
        var meta = ReadChecked(path);
        try
        {
            var config = TrainConfig.FromJson(System.Text.Json.Nodes.JsonNode.Parse(meta["config"])!.AsObject());
            var state = JsonSerializer.Deserialize<TrainingState>(meta["state"], ConfigBinding.Options)!;
            return (config, state);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"{path}: damaged checkpoint metadata ({e.Message.Split('\n')[0]})", e);
        }
    }

    /// <summary>Loads weights (and optimizer state when given) from <paramref name="path"/>; returns the stored state.</summary>
    public static TrainingState Load(string path, Module model, Optimizer? optimizer)
    {
        ArgumentNullException.ThrowIfNull(model);
        var (_, state) = ReadMetadata(path);
        var all = SafeTensors.Load(path);
        try
        {
            var weights = all.Where(p => !p.Key.StartsWith(OptimizerPrefix, StringComparison.Ordinal)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            model.LoadStateDict(weights, strict: true, path);
            if (optimizer is not null)
            {
                var index = ParameterNames(model, optimizer).Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
                var state2 = new Dictionary<string, Tensor>(StringComparer.Ordinal);
                foreach (var (key, t) in all)
                {
                    if (!key.StartsWith(OptimizerPrefix, StringComparison.Ordinal)) continue;
                    string rest = key[OptimizerPrefix.Length..];
                    if (rest == "step") { state2["step"] = t; continue; }
                    int dot = rest.IndexOf('.');
                    if (dot < 0 || !index.TryGetValue(rest[(dot + 1)..], out int i))
                        throw new InvalidDataException($"{path}: optimizer tensor '{key}' names no parameter of the model");
                    state2[rest[..dot] + "." + i.ToString(CultureInfo.InvariantCulture)] = t;
                }
                optimizer.LoadStateDict(state2, path);
            }
        }
        finally
        {
            foreach (var t in all.Values) t.Dispose();
        }
        return state;
    }

    private static IReadOnlyDictionary<string, string> ReadChecked(string path)
    {
        var meta = SafeTensors.ReadMetadata(path);
        if (!meta.TryGetValue("format", out var f) || f != Format)
            throw new InvalidDataException($"{path}: not a Clickscape training checkpoint (metadata format '{f}', expected '{Format}')");
        return meta;
    }

    /// <summary>The name of every optimizer parameter (index → model parameter name).</summary>
    private static string[] ParameterNames(Module model, Optimizer optimizer)
    {
        var byTensor = new Dictionary<Tensor, string>(ReferenceEqualityComparer.Instance);
        foreach (var (name, t) in model.NamedParameters()) byTensor[t] = name;
        return optimizer.Parameters.Select(p => byTensor.TryGetValue(p, out var n) ? n
            : throw new ArgumentException("checkpoint: the optimizer holds a tensor that is not a parameter of the model")).ToArray();
    }
}
