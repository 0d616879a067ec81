using Clickscape.Tensors;
using Clickscape.Tensors.Nn;

namespace Clickscape.Models.SegGroup;

/// <summary>
/// The classifier that trains SegGroup (§3.2 "Network Training", §3.3; REFERENCE.md §4): instance features →
/// Linear (no bias) to 128 → BatchNorm → LeakyReLU 0.2 → dropout 0.5 → Linear to the 40 nyu40 classes.
/// </summary>
public sealed class SegGroupClassifier : Module<Tensor, Tensor>
{
    private readonly Linear _hidden;
    private readonly BatchNorm1d _norm;
    private readonly Linear _output;
    private Random _dropout;

    /// <summary>Dropout probability.</summary>
    public const float DropoutProbability = 0.5f;

    /// <summary>A classifier from <paramref name="inChannels"/> to <paramref name="classes"/>.</summary>
    public SegGroupClassifier(int inChannels, int classes, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        _hidden = RegisterModule("linear1", new Linear(inChannels, 128, random, bias: false));
        _norm = RegisterModule("bn1", new BatchNorm1d(128));
        _output = RegisterModule("linear2", new Linear(128, classes, random));
        _dropout = new Random(random.Next());
    }

    /// <summary>
    /// Restarts the dropout mask stream from <paramref name="seed"/>. The trainer reseeds it from (run seed, epoch, batch,
    /// sample) before every training forward, so the masks are a function of the step, not of how many steps this
    /// process ran, and a resumed run draws the masks an uninterrupted one would.
    /// </summary>
    public void ReseedDropout(int seed) => _dropout = new Random(seed);

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        var h = _norm.Forward(_hidden.Forward(input)).LeakyRelu(EdgeConv.NegativeSlope);
        if (Training) h = Tensors.Ops.Dropout.Forward(h, DropoutProbability, _dropout);
        return _output.Forward(h);
    }
}
