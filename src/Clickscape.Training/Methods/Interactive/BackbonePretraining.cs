using Clickscape.Data.IO;
using Clickscape.Tensors.Nn;
using Clickscape.Tensors.Serialization;
using Clickscape.Training.Engine;

namespace Clickscape.Training.Methods.Interactive;

/// <summary>
/// The paper's initialization (Kontogianni et al., §III-B: "all network weights except for the output layer are
/// initialized with those … obtained by pretraining the network on the task of semantic segmentation on ScanNetV2"):
/// copies the backbone of a semantic-segmentation checkpoint (a <c>full</c> run: <c>backbone.…</c> of PointGroup's
/// U-Net) into an interactive network. Tensors are matched by name and shape; the input convolution, whose input
/// channels differ (r, g, b, x, y, z there; r, g, b, T_p, T_n here), takes the colour channels' weights and keeps its
/// own initialization for the click channels. Everything else (the heads, levels the source lacks) stays as initialized.
/// </summary>
public static class BackbonePretraining
{
    /// <summary>Copies what matches from <paramref name="checkpoint"/> (a run folder or a checkpoint file); returns the tensors copied.</summary>
    public static int Apply(Module model, string checkpoint)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(checkpoint);
        string file = File.Exists(checkpoint) ? checkpoint
            : Directory.Exists(checkpoint) ? new RunFolder(checkpoint).InferenceCheckpoint() ?? throw new DataFormatException(checkpoint, "run folder has no checkpoint to initialize the backbone from")
            : throw new DataFormatException(checkpoint, "no such checkpoint or run folder (model.pretrained)");
        var source = SafeTensors.Load(file);
        int copied = 0;
        try
        {
            foreach (var (name, target) in model.StateDict())
            {
                if (!name.StartsWith("backbone.", StringComparison.Ordinal) || !source.TryGetValue(name, out var s)) continue;
                if (s.Shape.SequenceEqual(target.Shape))
                {
                    s.Data.CopyTo(target.Data);
                    copied++;
                }
                else if (name == "backbone.input_conv.weight" && s.Rank == 3 && target.Rank == 3 && s.Dim(0) == target.Dim(0) && s.Dim(2) == target.Dim(2))
                {
                    // [kernel volume, in, out]: the first three input channels are r, g, b in both networks
                    int volume = s.Dim(0), inS = s.Dim(1), inT = target.Dim(1), output = s.Dim(2);
                    for (int k = 0; k < volume; k++)
                        for (int c = 0; c < Math.Min(3, Math.Min(inS, inT)); c++)
                            s.Data.Slice((k * inS + c) * output, output).CopyTo(target.Data.Slice((k * inT + c) * output, output));
                    copied++;
                }
            }
        }
        finally
        {
            foreach (var t in source.Values) t.Dispose();
        }
        if (copied == 0) throw new DataFormatException(file, "holds no backbone tensor that fits this network (model.pretrained expects a full/clickseg run of the same widths)");
        return copied;
    }
}
