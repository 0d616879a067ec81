using Clickscape.Tensors.Tests.Autograd;

namespace Clickscape.Tensors.Tests.Losses;

public class CrossEntropyTests
{
    [Fact]
    public void HandComputedValue()
    {
        // Row 0: logits (0, ln 3) → p = (1/4, 3/4), label 1 → −ln(3/4). Row 1 ignored.
        var logits = Tensor.FromArray([0f, MathF.Log(3f), 5f, -5f], 2, 2);
        var loss = Tensors.Losses.Losses.CrossEntropy(logits, [1, -100]);
        Assert.Equal(-Math.Log(0.75), loss.Item(), 5);
    }

    [Fact]
    public void HandComputedWeightsAndSmoothing()
    {
        // Two rows of two classes, equal logits → log p = ln ½ everywhere.
        // weights w = (1, 3), labels (0, 1), ε = 0.2:
        // nll = (1·ln2 + 3·ln2)/4 = ln2; smooth = Σ_rows (1 + 3)·ln2 / 4 = 2 ln2; L = 0.8 ln2 + 0.1 · 2 ln2 = ln2.
        var logits = Tensor.Zeros(2, 2);
        var loss = Tensors.Losses.Losses.CrossEntropy(logits, [0, 1], classWeights: [1f, 3f], labelSmoothing: 0.2f);
        Assert.Equal(Math.Log(2), loss.Item(), 5);
        // Unequal logits: row (0, ln 3), label 1, ε = 0.5, no weights: 0.5·(−ln ¾) + 0.25·(−ln ¼ − ln ¾).
        var l2 = Tensors.Losses.Losses.CrossEntropy(Tensor.FromArray([0f, MathF.Log(3f)], 1, 2), [1], labelSmoothing: 0.5f);
        Assert.Equal(0.5 * -Math.Log(0.75) + 0.25 * (-Math.Log(0.25) - Math.Log(0.75)), l2.Item(), 5);
    }

    [Theory]
    [InlineData(1, 1, false, 0f)]
    [InlineData(7, 3, false, 0f)]
    [InlineData(7, 3, true, 0.1f)]
    [InlineData(33, 13, true, 0f)]
    [InlineData(33, 13, false, 0.2f)]
    public void MatchesDoubleReferenceAndGradients(int n, int c, bool weighted, float eps)
    {
        var rng = new Random(n * c);
        var logits = RandomTensors.Uniform(rng, -2, 2, n, c);
        var labels = Enumerable.Range(0, n).Select(i => i % 5 == 4 ? -100 : rng.Next(c)).ToArray();
        var w = weighted ? Enumerable.Range(0, c).Select(_ => 0.5f + (float)rng.NextDouble()).ToArray() : null;
        double num = 0, den = 0;
        for (int i = 0; i < n; i++)
        {
            if (labels[i] < 0) continue;
            double max = double.NegativeInfinity, sum = 0;
            for (int k = 0; k < c; k++) max = Math.Max(max, logits[i, k]);
            for (int k = 0; k < c; k++) sum += Math.Exp(logits[i, k] - max);
            double Lp(int k) => logits[i, k] - max - Math.Log(sum);
            double wy = w?[labels[i]] ?? 1;
            num += -(1 - eps) * wy * Lp(labels[i]);
            for (int k = 0; k < c; k++) num += -eps / c * (w?[k] ?? 1) * Lp(k);
            den += wy;
        }
        var loss = Tensors.Losses.Losses.CrossEntropy(logits, labels, classWeights: w, labelSmoothing: eps);
        Assert.Equal(den == 0 ? 0 : num / den, loss.Item(), 4);
        GradCheck.Check(t => Tensors.Losses.Losses.CrossEntropy(t[0], labels, classWeights: w, labelSmoothing: eps), v => Reference.CrossEntropy(v[0], c, labels, -100, w, eps), [logits]);
    }

    [Fact]
    public void BadLabelThrows()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Tensors.Losses.Losses.CrossEntropy(Tensor.Zeros(2, 3), [0, 3]));
        Assert.Contains("label 3 at row 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AllIgnoredGivesZeroAndZeroGradient()
    {
        var logits = Tensor.Zeros(2, 3);
        logits.RequiresGrad = true;
        var loss = Tensors.Losses.Losses.CrossEntropy(logits, [-100, -100]);
        loss.Backward();
        Assert.Equal(0f, loss.Item());
        Assert.All(logits.Grad!.ToArray(), v => Assert.Equal(0f, v));
    }
}
