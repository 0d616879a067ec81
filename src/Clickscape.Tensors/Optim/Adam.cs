using System.Numerics;

namespace Clickscape.Tensors.Optim;

/// <summary>
/// Adam (Kingma &amp; Ba, ICLR 2015) and AdamW (Loshchilov &amp; Hutter, ICLR 2019), with PyTorch's update:
/// m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; θ ← θ − η·(m/(1 − β₁ᵗ)) / (√v/√(1 − β₂ᵗ) + ε).
/// Weight decay λ is added to the gradient (Adam) or applied as θ ← θ(1 − ηλ) before the step (AdamW).
/// </summary>
public class Adam : Optimizer
{
    private float[]?[] _m;
    private float[]?[] _v;

    /// <summary>Creates Adam.</summary>
    public Adam(IEnumerable<Tensor> parameters, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f, float weightDecay = 0f)
        : this(parameters, learningRate, beta1, beta2, eps, weightDecay, decoupled: false)
    {
    }

    /// <summary>Creates Adam over parameter groups (a group's weight decay overrides <paramref name="weightDecay"/>).</summary>
    public Adam(IEnumerable<ParameterGroup> groups, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f, float weightDecay = 0f, bool decoupled = false)
        : base(groups, learningRate)
    {
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        WeightDecay = weightDecay;
        Decoupled = decoupled;
        _m = new float[Parameters.Count][];
        _v = new float[Parameters.Count][];
    }

    private protected Adam(IEnumerable<Tensor> parameters, float learningRate, float beta1, float beta2, float eps, float weightDecay, bool decoupled)
        : base(parameters, learningRate)
    {
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        WeightDecay = weightDecay;
        Decoupled = decoupled;
        _m = new float[Parameters.Count][];
        _v = new float[Parameters.Count][];
    }

    /// <summary>β₁.</summary>
    public float Beta1 { get; }

    /// <summary>β₂.</summary>
    public float Beta2 { get; }

    /// <summary>ε.</summary>
    public float Eps { get; }

    /// <summary>λ.</summary>
    public float WeightDecay { get; }

    /// <summary>True for AdamW's decoupled weight decay.</summary>
    public bool Decoupled { get; }

    /// <inheritdoc/>
    protected override IEnumerable<(string Name, float[]?[] Slots)> StateSlots() => [("exp_avg", _m), ("exp_avg_sq", _v)];

    /// <inheritdoc/>
    protected override void Update(int index, Span<float> parameter, ReadOnlySpan<float> gradient)
    {
        var m = State(ref _m, index, parameter.Length);
        var v = State(ref _v, index, parameter.Length);
        int t = StepCount;
        double bc1 = 1 - Math.Pow(Beta1, t), bc2 = 1 - Math.Pow(Beta2, t);
        float lr = LearningRateOf(index), wd = WeightDecayOf(index, WeightDecay), b1 = Beta1, b2 = Beta2, eps = Eps;
        float stepSize = (float)(lr / bc1);
        float sqrtBc2 = (float)Math.Sqrt(bc2);
        // One fused pass (five TensorPrimitives passes would each re-stream the arrays), in Vector<float> lanes with
        // exactly the scalar loop's operations in the same order (no FMA contraction), so every lane's bits equal the
        // scalar tail's; the tail is the scalar equivalent.
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vb1 = new Vector<float>(b1);
            var vb2 = new Vector<float>(b2);
            var v1b1 = new Vector<float>(1f - b1);
            var v1b2 = new Vector<float>(1f - b2);
            var vStep = new Vector<float>(stepSize);
            var vSqrtBc2 = new Vector<float>(sqrtBc2);
            var vEps = new Vector<float>(eps);
            var vDecay = new Vector<float>(1f - lr * wd);
            var vWd = new Vector<float>(wd);
            for (; i <= parameter.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var g = new Vector<float>(gradient[i..]);
                var p = new Vector<float>(parameter[i..]);
                if (wd != 0f)
                {
                    if (Decoupled) p *= vDecay;
                    else g += vWd * p;
                }
                var mi = vb1 * new Vector<float>(m.AsSpan(i)) + v1b1 * g;
                var vi = vb2 * new Vector<float>(v.AsSpan(i)) + v1b2 * g * g;
                mi.CopyTo(m.AsSpan(i));
                vi.CopyTo(v.AsSpan(i));
                (p - vStep * mi / (Vector.SquareRoot(vi) / vSqrtBc2 + vEps)).CopyTo(parameter[i..]);
            }
        }
        for (; i < parameter.Length; i++)
        {
            float g = gradient[i];
            if (wd != 0f)
            {
                if (Decoupled) parameter[i] *= 1f - lr * wd;
                else g += wd * parameter[i];
            }
            m[i] = b1 * m[i] + (1f - b1) * g;
            v[i] = b2 * v[i] + (1f - b2) * g * g;
            parameter[i] -= stepSize * m[i] / (MathF.Sqrt(v[i]) / sqrtBc2 + eps);
        }
    }
}

/// <summary>AdamW: Adam with decoupled weight decay (default λ = 0.01 as in PyTorch).</summary>
public sealed class AdamW : Adam
{
    /// <summary>Creates AdamW.</summary>
    public AdamW(IEnumerable<Tensor> parameters, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f, float weightDecay = 0.01f)
        : base(parameters, learningRate, beta1, beta2, eps, weightDecay, decoupled: true)
    {
    }
}
