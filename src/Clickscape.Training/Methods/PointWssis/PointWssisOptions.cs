using System.Text.Json;
using System.Text.Json.Serialization;
using Clickscape.Training.Configs;

namespace Clickscape.Training.Methods.PointWssis;

/// <summary>
/// Everything a PointWSSIS run is sized by (steps, never time, so the accuracy does not depend on load), written to
/// <c>RUN/config.json</c> and read back by <c>predict</c>. Defaults are the CPU scale of this project: 128-pixel inputs,
/// a 3-level SOLO, a 16-wide MaskRefineNet on 64-pixel crops. The paper's values where they transfer: MaskRefineNet
/// Adam lr 1e-4 with cosine decay, batch 16, train box enlargement U(1, 2), inference 2.0, σ 6 at 256 px
/// (= 1.5 at 64 px), Dice weight 3.
/// </summary>
public sealed record PointWssisOptions
{
    /// <summary>The method name in <c>config.json</c>.</summary>
    public string Method { get; init; } = PointWssisPipeline.MethodName;

    /// <summary>Fraction of the training images that keep their full masks; the rest keep one point per object.</summary>
    public double FullFraction { get; init; } = 0.1;

    /// <summary>Seed of the split, the initializations and the batch order.</summary>
    public long Seed { get; init; }

    /// <summary>Network input side (images are resized to a square of this side).</summary>
    public int InputSize { get; init; } = 128;

    /// <summary>Images per teacher/student step.</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>Optimizer steps of the teacher (on the fully labelled images).</summary>
    public int TeacherSteps { get; init; } = 600;

    /// <summary>Optimizer steps of the student (full + pseudo labels).</summary>
    public int StudentSteps { get; init; } = 600;

    /// <summary>An earlier PointWSSIS run whose teacher this run reuses instead of training one (<see cref="TeacherSteps"/>
    /// is then unused): for the comparisons that share a teacher — the semi-supervised baseline, MaskRefineNet's input
    /// ablation — at the same split. Its <c>full_fraction</c>, <c>seed</c> and <c>input_size</c> must equal this run's
    /// (they decide which images are fully labelled and the network's shape); the data must be the same folder.</summary>
    public string? TeacherFrom { get; init; }

    /// <summary>Scale jitter of teacher and student training: each image zoomed by U(<see cref="ScaleMin"/>, <see cref="ScaleMax"/>)
    /// at a random place (SOLOv2's multi-scale training at a fixed side); 1 and 1 = flips only.</summary>
    public double ScaleMin { get; init; } = 1.0;

    /// <summary>Upper end of the scale jitter.</summary>
    public double ScaleMax { get; init; } = 1.0;

    /// <summary>Adam learning rate of teacher and student.</summary>
    public float LearningRate { get; init; } = 2e-3f;

    /// <summary>How pseudo labels are made: <c>point</c> (PointWSSIS) or <c>unlabelled</c> (the semi-supervised baseline:
    /// the teacher's own detections above <see cref="UnlabelledThreshold"/>, points unused).</summary>
    public string PseudoLabels { get; init; } = "point";

    /// <summary>τ of the semi-supervised baseline.</summary>
    public float UnlabelledThreshold { get; init; } = 0.3f;

    /// <summary>Level selection of the point-guided proposals: adaptive, single-level, all-levels, ground-truth-size (an oracle
    /// that reads the hidden masks of the point images: for the Table 2 analysis only).</summary>
    public string LevelSelection { get; init; } = "adaptive";

    /// <summary>Train MaskRefineNet and refine the pseudo labels with it.</summary>
    public bool Refine { get; init; } = true;

    /// <summary>Also train a second student on the unrefined pseudo labels (<c>student-rough</c>), for the with/without comparison.</summary>
    public bool CompareRough { get; init; }

    /// <summary>Optimizer steps of MaskRefineNet.</summary>
    public int RefineSteps { get; init; } = 400;

    /// <summary>Crops per MaskRefineNet step.</summary>
    public int RefineBatchSize { get; init; } = 16;

    /// <summary>MaskRefineNet learning rate (paper 1e-4 at batch 16 for a pretrained ResNet-101; ours trains from scratch).</summary>
    public float RefineLearningRate { get; init; } = 1e-3f;

    /// <summary>Side of a MaskRefineNet crop.</summary>
    public int RefineCropSize { get; init; } = 64;

    /// <summary>Heatmap σ in crop pixels.</summary>
    public double RefineSigma { get; init; } = 1.5;

    /// <summary>MaskRefineNet input sources (Table 3): image, rough_mask, point.</summary>
    public bool RefineImage { get; init; } = true;

    /// <summary>Feed the rough mask to MaskRefineNet.</summary>
    public bool RefineRoughMask { get; init; } = true;

    /// <summary>Feed the point heatmap to MaskRefineNet.</summary>
    public bool RefinePoint { get; init; } = true;

    /// <summary>Compute threads (0 = default).</summary>
    public int Threads { get; init; }

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // "+" stays "+" in quality.json
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Reads options from a JSON object (unknown keys are an error naming them).</summary>
    public static PointWssisOptions Parse(string json, string source)
    {
        try
        {
            return (JsonSerializer.Deserialize<PointWssisOptions>(json, Json) ?? new PointWssisOptions()).Validated();
        }
        catch (JsonException e)
        {
            throw new ConfigException($"{source}: {e.Message.ReplaceLineEndings(" ")}");
        }
    }

    /// <summary>The options as JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Checks the ranges once; a bad value is a <see cref="ConfigException"/> naming it.</summary>
    public PointWssisOptions Validated()
    {
        if (!(FullFraction > 0 && FullFraction <= 1)) throw new ConfigException($"full_fraction {FullFraction}: expected in (0, 1]");
        if (InputSize < 32 || InputSize % 32 != 0) throw new ConfigException($"input_size {InputSize}: expected a positive multiple of 32");
        if (BatchSize < 1 || RefineBatchSize < 1) throw new ConfigException("batch sizes must be ≥ 1");
        if (TeacherSteps < 1 || StudentSteps < 0 || RefineSteps < 1) throw new ConfigException("teacher_steps and refine_steps must be ≥ 1, student_steps ≥ 0");
        if (!(ScaleMin > 0 && ScaleMin <= ScaleMax && ScaleMax <= 4))
            throw new ConfigException($"scale_min {ScaleMin}, scale_max {ScaleMax}: expected 0 < scale_min ≤ scale_max ≤ 4");
        if (PseudoLabels is not ("point" or "unlabelled")) throw new ConfigException($"pseudo_labels '{PseudoLabels}': expected point or unlabelled");
        _ = Selection;
        if (RefineCropSize < 16 || RefineCropSize % 8 != 0) throw new ConfigException($"refine_crop_size {RefineCropSize}: expected a multiple of 8, ≥ 16");
        return this;
    }

    /// <summary><see cref="LevelSelection"/> as the enum.</summary>
    [JsonIgnore]
    public Models.Solo.LevelSelection Selection => LevelSelection switch
    {
        "adaptive" => Models.Solo.LevelSelection.Adaptive,
        "single-level" => Models.Solo.LevelSelection.SingleLevel,
        "all-levels" => Models.Solo.LevelSelection.AllLevels,
        "ground-truth-size" => Models.Solo.LevelSelection.GroundTruthSize,
        _ => throw new ConfigException($"level_selection '{LevelSelection}': expected adaptive, single-level, all-levels or ground-truth-size"),
    };
}
