using Clickscape.Tensors.Ops;

namespace Clickscape.Tensors;

// Fluent and operator forms of the operations in Ops/ (each forwards to the op's static class, where the
// forward and backward rules live side by side).
public sealed partial class Tensor
{
    /// <summary>Element-wise sum with broadcasting (see <see cref="Elementwise"/>).</summary>
    public static Tensor operator +(Tensor a, Tensor b) => Elementwise.Add(a, b);

    /// <summary>Element-wise difference with broadcasting.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => Elementwise.Subtract(a, b);

    /// <summary>Element-wise product with broadcasting.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => Elementwise.Multiply(a, b);

    /// <summary>Element-wise quotient with broadcasting.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => Elementwise.Divide(a, b);

    /// <summary>a + s.</summary>
    public static Tensor operator +(Tensor a, float s) => Elementwise.AddScalar(a, s);

    /// <summary>a − s.</summary>
    public static Tensor operator -(Tensor a, float s) => Elementwise.AddScalar(a, -s);

    /// <summary>s − a.</summary>
    public static Tensor operator -(float s, Tensor a) => Elementwise.ScalarSubtract(s, a);

    /// <summary>a × s.</summary>
    public static Tensor operator *(Tensor a, float s) => Elementwise.MultiplyScalar(a, s);

    /// <summary>s × a.</summary>
    public static Tensor operator *(float s, Tensor a) => Elementwise.MultiplyScalar(a, s);

    /// <summary>a ÷ s.</summary>
    public static Tensor operator /(Tensor a, float s) => Elementwise.MultiplyScalar(a, 1f / s);

    /// <summary>−a.</summary>
    public static Tensor operator -(Tensor a) => Elementwise.Negate(a);

    /// <summary>op(this)·op(other) (2-D).</summary>
    public Tensor MatMul(Tensor other, bool transposeThis = false, bool transposeOther = false) => Ops.MatMul.Multiply(this, other, transposeThis, transposeOther);

    /// <summary>max(x, 0).</summary>
    public Tensor Relu() => Activations.Relu(this);

    /// <summary>LeakyReLU with the given negative slope.</summary>
    public Tensor LeakyRelu(float slope = 0.01f) => Activations.LeakyRelu(this, slope);

    /// <summary>Logistic sigmoid.</summary>
    public Tensor Sigmoid() => Activations.Sigmoid(this);

    /// <summary>Hyperbolic tangent.</summary>
    public Tensor Tanh() => Activations.Tanh(this);

    /// <summary>eˣ.</summary>
    public Tensor Exp() => Activations.Exp(this);

    /// <summary>ln x.</summary>
    public Tensor Log() => Activations.Log(this);

    /// <summary>√x.</summary>
    public Tensor Sqrt() => Activations.Sqrt(this);

    /// <summary>|x|.</summary>
    public Tensor Abs() => Activations.Abs(this);

    /// <summary>x².</summary>
    public Tensor Square() => Activations.Square(this);

    /// <summary>Clamps into [low, high].</summary>
    public Tensor Clamp(float low, float high) => Activations.Clamp(this, low, high);

    /// <summary>Index of the maximum of each row along the last axis (predicted labels from logits).</summary>
    public int[] ArgMax() => Reductions.ArgMax(this);

    /// <summary>Σ of all elements.</summary>
    public Tensor Sum() => Reductions.Sum(this);

    /// <summary>Σ along an axis.</summary>
    public Tensor Sum(int axis, bool keepDim = false) => Reductions.Sum(this, axis, keepDim);

    /// <summary>Mean of all elements.</summary>
    public Tensor Mean() => Reductions.Mean(this);

    /// <summary>Mean along an axis.</summary>
    public Tensor Mean(int axis, bool keepDim = false) => Reductions.Mean(this, axis, keepDim);

    /// <summary>Maximum of all elements.</summary>
    public Tensor Max() => Reductions.Max(this);

    /// <summary>Maximum along an axis.</summary>
    public Tensor Max(int axis, bool keepDim = false) => Reductions.Max(this, axis, keepDim);

    /// <summary>Softmax over the last axis.</summary>
    public Tensor Softmax() => Ops.Softmax.Forward(this);

    /// <summary>Log-softmax over the last axis.</summary>
    public Tensor LogSoftmax() => Ops.Softmax.Log(this);

    /// <summary>Same elements, new shape (copy).</summary>
    public Tensor Reshape(params int[] shape) => Ops.Shape.Reshape(this, shape);

    /// <summary>2-D transpose (copy).</summary>
    public Tensor Transpose() => Ops.Shape.Transpose(this);

    /// <summary>Rows [index[i]] (gather along axis 0).</summary>
    public Tensor IndexSelect(int[] index) => IndexOps.IndexSelect(this, index);

    /// <summary>Elements [start, start+length) along an axis.</summary>
    public Tensor Slice(int axis, int start, int length) => Ops.Shape.Slice(this, axis, start, length);

    /// <summary>Concatenation along an axis.</summary>
    public static Tensor Concat(IReadOnlyList<Tensor> parts, int axis) => Ops.Shape.Concat(parts, axis);
}
