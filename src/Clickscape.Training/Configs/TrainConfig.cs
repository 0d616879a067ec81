using System.Text.Json;
using System.Text.Json.Nodes;

namespace Clickscape.Training.Configs;

/// <summary>
/// A resolved training configuration (see <see cref="ConfigLoader"/>): the typed <see cref="Data"/> and
/// <see cref="Loop"/> sections, and the component sections (<c>model</c>, <c>loss</c>, <c>optimizer</c>,
/// <c>schedule</c>, <c>hooks</c>) that the registries create by their <c>"type"</c>. <see cref="Json"/> is what
/// <c>RUN/config.json</c> holds.
/// </summary>
public sealed class TrainConfig
{
    private static readonly string[] Sections = ["method", "data", "train", "model", "loss", "optimizer", "schedule", "hooks", "inference"];

    private TrainConfig(JsonObject json)
    {
        Json = json;
        foreach (var (key, _) in json)
            if (!Sections.Contains(key)) throw new ConfigException($"config: unknown section '{key}' (expected {string.Join(", ", Sections)})");
        Method = json["method"] is JsonValue m && m.TryGetValue(out string? name) ? name : throw new ConfigException("config: missing \"method\" (e.g. \"full\")");
        Data = ConfigBinding.Bind<DataConfig>(json["data"], "data");
        Loop = ConfigBinding.Bind<LoopConfig>(json["train"], "train");
        Data.Validate();
        Loop.Validate();
        Hooks = json["hooks"] switch
        {
            null => [],
            JsonArray a => a.Select((h, i) => h as JsonObject ?? throw new ConfigException($"config: hooks[{i}] must be an object with a \"type\"")).ToList(),
            _ => throw new ConfigException("config: \"hooks\" must be an array of objects"),
        };
    }

    /// <summary>The whole configuration (no <c>_base_</c> left).</summary>
    public JsonObject Json { get; }

    /// <summary>The training method's registered name (<c>full</c>, …).</summary>
    public string Method { get; }

    /// <summary>Data preparation, augmentation and batching.</summary>
    public DataConfig Data { get; }

    /// <summary>Epochs, steps, seed, checkpoint interval.</summary>
    public LoopConfig Loop { get; }

    /// <summary>The model section.</summary>
    public JsonNode? Model => Json["model"];

    /// <summary>The loss section.</summary>
    public JsonNode? Loss => Json["loss"];

    /// <summary>The optimizer section.</summary>
    public JsonNode? Optimizer => Json["optimizer"];

    /// <summary>The learning-rate schedule section.</summary>
    public JsonNode? Schedule => Json["schedule"];

    /// <summary>The method's inference section (e.g. <c>full</c>'s grouping parameters), or null.</summary>
    public JsonNode? Inference => Json["inference"];

    /// <summary>The hook sections, in order.</summary>
    public IReadOnlyList<JsonObject> Hooks { get; }

    /// <summary>Validates and wraps a resolved configuration.</summary>
    public static TrainConfig FromJson(JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return new TrainConfig((JsonObject)json.DeepClone());
    }

    /// <summary>Reads <c>RUN/config.json</c> (or any resolved configuration file).</summary>
    public static TrainConfig Read(string path)
    {
        if (!File.Exists(path)) throw new ConfigException($"{path}: configuration not found");
        try
        {
            var node = JsonNode.Parse(File.ReadAllText(path), documentOptions: ConfigLoader.DocumentOptions) as JsonObject ?? throw new ConfigException($"{path}: expected a JSON object");
            return FromJson(ConfigLoader.Resolve(node, Path.GetDirectoryName(Path.GetFullPath(path))!, path));
        }
        catch (JsonException e)
        {
            throw new ConfigException($"{path}: not valid JSON ({e.Message.Split('\n')[0]})", e);
        }
    }

    /// <summary>A copy with <paramref name="value"/> at the dotted <paramref name="path"/> (e.g. <c>train.seed</c>).</summary>
    public TrainConfig With(string path, JsonNode? value)
    {
        ArgumentNullException.ThrowIfNull(path);
        var json = (JsonObject)Json.DeepClone();
        var keys = path.Split('.');
        var obj = json;
        foreach (var k in keys[..^1])
        {
            if (obj[k] is not JsonObject child)
            {
                child = new JsonObject();
                obj[k] = child;
            }
            obj = child;
        }
        obj[keys[^1]] = value;
        return new TrainConfig(json);
    }

    /// <summary>The configuration as indented JSON.</summary>
    public string ToJsonString() => Json.ToJsonString(ConfigBinding.Options);
}

/// <summary>The <c>data</c> section: preprocessing, augmentation (PointGroup's, REFERENCE.md §2) and batching.</summary>
public sealed class DataConfig
{
    /// <summary>Voxel edge in metres (PointGroup 0.02).</summary>
    public float VoxelSize { get; set; } = 0.05f;

    /// <summary>Scenes per batch.</summary>
    public int BatchSize { get; set; } = 4;

    /// <summary>Points per batch at most: each sample is cropped to min(<see cref="CropPoints"/>, budget / batch size).</summary>
    public int BatchPointBudget { get; set; } = 1_000_000;

    /// <summary>Points per scene at most after augmentation (PointGroup 250 000).</summary>
    public int CropPoints { get; set; } = 250_000;

    /// <summary>Batches prepared ahead by the loader thread.</summary>
    public int Prefetch { get; set; } = 2;

    /// <summary>Augmentation switches and strengths.</summary>
    public AugmentationConfig Augment { get; set; } = new();

    /// <summary>
    /// What the columns of N×K point tables (<c>.npy</c>, raw <c>.bin</c>, text) hold, e.g. <c>x,y,z,r,g,b,sem,ins</c>
    /// (<see cref="Clickscape.Data.Formats.ColumnMap"/>); null = only the unambiguous 3, 6 and 9 columns. Set by
    /// <c>train --columns</c>; <c>predict</c> and <c>pseudo-label</c> read the run's unless given their own.
    /// </summary>
    public string? Columns { get; set; }

    /// <summary>
    /// PartNet's <c>stats/</c> folder (benchmark level lists, split files) instead of the one found beside the shapes'
    /// <c>data/</c> (<see cref="Clickscape.Data.Datasets.SceneDataset.PartNetStats"/>); null = found there.
    /// </summary>
    [System.Text.Json.Serialization.JsonPropertyName("partnet_stats")]
    public string? PartNetStats { get; set; }

    /// <summary>How the run's datasets are opened: <see cref="Columns"/>, or <paramref name="columns"/> when given; <see cref="PartNetStats"/>.</summary>
    public Clickscape.Data.Datasets.SceneDatasetOptions DatasetOptions(string? columns = null)
    {
        string? text = columns ?? Columns;
        var options = text is null ? Clickscape.Data.Datasets.SceneDatasetOptions.Default
            : new() { Read = new Clickscape.Data.SceneReadOptions { Columns = Clickscape.Data.Formats.ColumnMap.Parse(text) } };
        return PartNetStats is null ? options : options with { PartNetStats = PartNetStats };
    }

    internal void Validate()
    {
        if (Columns is not null)
        {
            try
            {
                Clickscape.Data.Formats.ColumnMap.Parse(Columns);
            }
            catch (ArgumentException e)
            {
                throw new ConfigException($"config data.columns '{Columns}': {e.Message}");
            }
        }
        if (!(VoxelSize > 0) || !float.IsFinite(VoxelSize)) throw new ConfigException($"config data.voxel_size {VoxelSize}: expected a positive number of metres");
        if (BatchSize < 1) throw new ConfigException($"config data.batch_size {BatchSize}: expected ≥ 1");
        if (BatchSize > 100) throw new ConfigException($"config data.batch_size {BatchSize}: at most 100 scenes fit the batch coordinate");
        if (CropPoints < 1 || BatchPointBudget < BatchSize) throw new ConfigException("config data.crop_points and data.batch_point_budget: expected ≥ 1 point per scene");
        if (Prefetch < 1) throw new ConfigException($"config data.prefetch {Prefetch}: expected ≥ 1");
        Augment.Validate();
    }
}

/// <summary>PointGroup's training augmentation (REFERENCE.md §2 [PG:data/scannetv2_inst.py]); set <see cref="Enabled"/> false for none.</summary>
public sealed class AugmentationConfig
{
    /// <summary>Master switch.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>σ of the jitter matrix M = I + N(0, σ²) (PointGroup 0.1; 0 = off).</summary>
    public float Jitter { get; set; } = 0.1f;

    /// <summary>Random mirror of x.</summary>
    public bool FlipX { get; set; } = true;

    /// <summary>Random rotation about z in [0, 2π).</summary>
    public bool RotateZ { get; set; } = true;

    /// <summary>Random isotropic scale range [low, high] (PointGroup: none, [1, 1]).</summary>
    public float[] Scale { get; set; } = [1f, 1f];

    /// <summary>Elastic distortions as (granularity, magnitude) pairs in metres, applied in order (PointGroup at 2 cm:
    /// (6, 40) and (20, 160) voxels = (0.12, 0.8) and (0.4, 3.2) m). Empty = off.</summary>
    public float[][] Elastic { get; set; } = [[0.12f, 0.8f], [0.4f, 3.2f]];

    /// <summary>σ of the per-scene colour shift added to rgb/127.5 − 1 (PointGroup 0.1).</summary>
    public float ColorNoise { get; set; } = 0.1f;

    internal void Validate()
    {
        if (Jitter < 0 || ColorNoise < 0) throw new ConfigException("config data.augment: jitter and color_noise must be ≥ 0");
        if (Scale.Length != 2 || !(Scale[0] > 0) || Scale[1] < Scale[0]) throw new ConfigException("config data.augment.scale: expected [low, high] with 0 < low ≤ high");
        foreach (var e in Elastic)
            if (e.Length != 2 || !(e[0] > 0) || e[1] < 0) throw new ConfigException("config data.augment.elastic: expected [[granularity, magnitude], …] in metres, granularity > 0");
    }
}

/// <summary>The <c>train</c> section: the loop.</summary>
public sealed class LoopConfig
{
    /// <summary>Passes over the training split.</summary>
    public int Epochs { get; set; } = 20;

    /// <summary>Stop after this many optimizer steps in total (0 = epochs decide). Also the schedule's length when smaller.</summary>
    public int MaxSteps { get; set; }

    /// <summary>Seed of initialization, shuffling and augmentation.</summary>
    public long Seed { get; set; } = 1;

    /// <summary>Write <c>checkpoints/last.safetensors</c> every this many steps (and at every epoch end).</summary>
    public int CheckpointEverySteps { get; set; } = 50;

    /// <summary>Wall-clock budget of one invocation in minutes (0 = none); the run stops at the first step boundary past it, with a checkpoint.</summary>
    public double BudgetMinutes { get; set; }

    /// <summary>Compute threads (0 = the machine's / CLICKSCAPE_THREADS).</summary>
    public int Threads { get; set; }

    /// <summary>Workers per process: each forwards its own slice of the batch, the gradients are averaged (<see cref="Distributed.WorkerLayout"/>; gradient accumulation).</summary>
    public int MicroBatches { get; set; } = 1;

    internal void Validate()
    {
        if (Epochs < 1) throw new ConfigException($"config train.epochs {Epochs}: expected ≥ 1");
        if (MaxSteps < 0) throw new ConfigException($"config train.max_steps {MaxSteps}: expected ≥ 0 (0 = no limit)");
        if (CheckpointEverySteps < 1) throw new ConfigException($"config train.checkpoint_every_steps {CheckpointEverySteps}: expected ≥ 1");
        if (BudgetMinutes < 0) throw new ConfigException($"config train.budget_minutes {BudgetMinutes}: expected ≥ 0");
        if (Threads < 0) throw new ConfigException($"config train.threads {Threads}: expected ≥ 0");
        if (MicroBatches < 1) throw new ConfigException($"config train.micro_batches {MicroBatches}: expected ≥ 1");
    }
}
