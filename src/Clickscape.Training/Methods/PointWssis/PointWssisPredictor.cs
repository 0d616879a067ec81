using System.Text.Json;
using Clickscape.Data.Datasets;
using Clickscape.Data.Formats.Coco;
using Clickscape.Data.IO;
using Clickscape.Models.Solo;
using Clickscape.Tensors;
using Clickscape.Tensors.Autograd;
using Clickscape.Tensors.Serialization;
using Clickscape.Training.Configs;

namespace Clickscape.Training.Methods.PointWssis;

/// <summary>One detection in COCO results form (the mask at the image's own size).</summary>
public sealed record CocoResult(long ImageId, long CategoryId, MaskRle Mask, double Score);

/// <summary>
/// Instance masks of images with a trained PointWSSIS network (teacher or student): each image resized to the network
/// input, SOLOv2 inference (<see cref="SoloInference"/>), masks brought back to the image size bilinearly and
/// thresholded at 0.5, written as a COCO results JSON <c>[{image_id, category_id, segmentation (compressed RLE),
/// score}]</c> that <c>evaluate --metric coco</c> and pycocotools read.
/// </summary>
public static class PointWssisPredictor
{
    /// <summary>Whether <paramref name="run"/> is a PointWSSIS run folder.</summary>
    public static bool IsRun(string run)
    {
        var config = Path.Combine(run ?? "", "config.json");
        if (!File.Exists(config)) return false;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(config));
            return doc.RootElement.TryGetProperty("method", out var m) && m.ValueKind == JsonValueKind.String && m.GetString() == PointWssisPipeline.MethodName;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Predicts every image of <paramref name="split"/> with model <paramref name="model"/> of the run.</summary>
    public static IReadOnlyList<CocoResult> Predict(string run, string model, string data, string split, Action<CocoImage, int>? progress = null)
    {
        var configPath = Path.Combine(run, "config.json");
        var options = PointWssisOptions.Parse(File.ReadAllText(configPath), configPath);
        if (!PointWssisPipeline.ModelNames.Contains(model)) throw new ConfigException($"--model {model}: expected {string.Join(", ", PointWssisPipeline.ModelNames)}");
        var weights = PointWssisPipeline.ModelPath(run, model);
        if (!File.Exists(weights)) throw new DataFormatException(run, $"no models/{model}.safetensors (the run did not train a {model})");
        var dataset = ImageDataset.Open(data);
        var classIndex = PointWssisPipeline.ClassIndex(dataset);
        var categories = dataset.Coco.Categories.Select(c => c.Id).ToArray();
        using var net = new SoloNet(PointWssisPipeline.Solo(options, classIndex.Count), new Random(0));
        SafeTensors.LoadInto(net, weights);
        net.Eval();
        var results = new List<CocoResult>();
        var inference = new SoloInferenceOptions();
        foreach (var image in dataset.Split(split))
        {
            var sample = ImageSample.Load(dataset, image, options.InputSize, classIndex);
            using var scope = TensorScope.Begin();
            using var noGrad = Tensor.NoGrad();
            var (pixels, _) = PointWssisBatches.Build([(sample.Pixels, sample.Instances)], options.InputSize);
            var detections = SoloInference.Detect(net.Forward(pixels), 0, net.Options, inference);
            foreach (var d in detections)
            {
                var mask = ToImage(d.MaskProbabilities, image.Width, image.Height);
                results.Add(new CocoResult(image.Id, categories[d.ClassIndex], MaskRle.Encode(mask, image.Height, image.Width), d.Score));
            }
            progress?.Invoke(image, detections.Count);
        }
        return results;
    }

    /// <summary>A square probability grid [s²] resampled bilinearly onto width × height and thresholded at 0.5.</summary>
    public static byte[] ToImage(float[] probabilities, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        int s = (int)Math.Sqrt(probabilities.Length);
        var mask = new byte[width * height];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                double sx = Math.Clamp((x + 0.5) * s / width - 0.5, 0, s - 1), sy = Math.Clamp((y + 0.5) * s / height - 0.5, 0, s - 1);
                mask[y * width + x] = Models.MaskRefine.RefineCrop.Bilinear(probabilities, 0, s, sx, sy) > 0.5f ? (byte)1 : (byte)0;
            }
        return mask;
    }

    /// <summary>Writes results as COCO results JSON (atomically).</summary>
    public static void Write(string path, IReadOnlyList<CocoResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        AtomicFile.Write(path, stream =>
        {
            using var w = new Utf8JsonWriter(stream);
            w.WriteStartArray();
            foreach (var r in results)
            {
                w.WriteStartObject();
                w.WriteNumber("image_id", r.ImageId);
                w.WriteNumber("category_id", r.CategoryId);
                w.WritePropertyName("segmentation");
                w.WriteStartObject();
                w.WriteStartArray("size");
                w.WriteNumberValue(r.Mask.Height);
                w.WriteNumberValue(r.Mask.Width);
                w.WriteEndArray();
                w.WriteString("counts", r.Mask.ToCompressedString());
                w.WriteEndObject();
                w.WriteNumber("score", Math.Round(r.Score, 6));
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }
}
