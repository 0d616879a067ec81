using Clickscape.Tensors.Sparse;

namespace Clickscape.Tensors.Tests.Autograd;

/// <summary>
/// Plain double-precision re-implementations of every differentiable operation and loss: the forward functions
/// that <see cref="GradCheck"/> differentiates by central differences in double. Each is the textbook loop of
/// the op's defining equation (the one in the op's doc comment), written for clarity, not speed, and sharing no
/// code with the engine.
/// </summary>
internal static class Reference
{
    // ------------------------------------------------------------------ element-wise

    /// <summary>f applied to every element.</summary>
    public static double[] Map(double[] x, Func<double, double> f) => x.Select(f).ToArray();

    /// <summary>a ∘ b with NumPy broadcasting (shapes aligned at the right, size-1 dimensions repeat).</summary>
    public static double[] Broadcast(double[] a, int[] sa, double[] b, int[] sb, Func<double, double, double> op)
    {
        int rank = Math.Max(sa.Length, sb.Length);
        int[] pa = Pad(sa, rank), pb = Pad(sb, rank), so = new int[rank];
        for (int d = 0; d < rank; d++) so[d] = Math.Max(pa[d], pb[d]);
        int n = so.Aggregate(1, (p, v) => p * v);
        var y = new double[n];
        var idx = new int[rank];
        for (int i = 0; i < n; i++)
        {
            for (int d = rank - 1, r = i; d >= 0; d--) { idx[d] = r % so[d]; r /= so[d]; }
            y[i] = op(a[Flat(idx, pa)], b[Flat(idx, pb)]);
        }
        return y;

        static int[] Pad(int[] s, int rank) => Enumerable.Repeat(1, rank - s.Length).Concat(s).ToArray();

        static int Flat(int[] idx, int[] shape)
        {
            int off = 0;
            for (int d = 0; d < shape.Length; d++) off = off * shape[d] + (shape[d] == 1 ? 0 : idx[d]);
            return off;
        }
    }

    // ------------------------------------------------------------------ linear algebra

    /// <summary>op(A)·op(B) with A stored [ar, ac] and B [br, bc].</summary>
    public static double[] MatMul(double[] a, int ar, int ac, double[] b, int br, int bc, bool ta, bool tb)
    {
        int m = ta ? ac : ar, k = ta ? ar : ac, n = tb ? br : bc;
        var c = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s += (ta ? a[p * ac + i] : a[i * ac + p]) * (tb ? b[j * bc + p] : b[p * bc + j]);
                c[i * n + j] = s;
            }
        return c;
    }

    /// <summary>y = x·Wᵀ + b for x [rows, in], W [out, in].</summary>
    public static double[] Linear(double[] x, int rows, int inF, double[] w, int outF, double[]? bias)
    {
        var y = new double[rows * outF];
        for (int r = 0; r < rows; r++)
            for (int o = 0; o < outF; o++)
            {
                double s = bias?[o] ?? 0;
                for (int i = 0; i < inF; i++) s += x[r * inF + i] * w[o * inF + i];
                y[r * outF + o] = s;
            }
        return y;
    }

    /// <summary>D[i, j] = ‖aᵢ − bⱼ‖².</summary>
    public static double[] PairwiseSquared(double[] a, int n, double[] b, int m, int c)
    {
        var d = new double[n * m];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
            {
                double s = 0;
                for (int k = 0; k < c; k++) s += (a[i * c + k] - b[j * c + k]) * (a[i * c + k] - b[j * c + k]);
                d[i * m + j] = s;
            }
        return d;
    }

    // ------------------------------------------------------------------ images (NCHW)

    /// <summary>Direct cross-correlation of x [n, cin, h, w] with W [cout, cin, kh, kw], zero padding, plus bias.</summary>
    public static double[] Conv2d(double[] x, int n, int cin, int h, int w, double[] wt, int cout, int kh, int kw, double[]? bias, int stride, int pad)
    {
        int oh = (h + 2 * pad - kh) / stride + 1, ow = (w + 2 * pad - kw) / stride + 1;
        var y = new double[n * cout * oh * ow];
        for (int b = 0; b < n; b++)
            for (int co = 0; co < cout; co++)
                for (int r = 0; r < oh; r++)
                    for (int c = 0; c < ow; c++)
                    {
                        double s = bias?[co] ?? 0;
                        for (int ci = 0; ci < cin; ci++)
                            for (int i = 0; i < kh; i++)
                                for (int j = 0; j < kw; j++)
                                {
                                    int ih = r * stride - pad + i, iw = c * stride - pad + j;
                                    if (ih >= 0 && ih < h && iw >= 0 && iw < w) s += x[((b * cin + ci) * h + ih) * w + iw] * wt[((co * cin + ci) * kh + i) * kw + j];
                                }
                        y[((b * cout + co) * oh + r) * ow + c] = s;
                    }
        return y;
    }

    /// <summary>Max or average (count_include_pad) pooling over planes [planes, h, w].</summary>
    public static double[] Pool(double[] x, int planes, int h, int w, int k, int stride, int pad, bool max)
    {
        int oh = (h + 2 * pad - k) / stride + 1, ow = (w + 2 * pad - k) / stride + 1;
        var y = new double[planes * oh * ow];
        for (int p = 0; p < planes; p++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                {
                    double best = double.NegativeInfinity, sum = 0;
                    for (int di = 0; di < k; di++)
                        for (int dj = 0; dj < k; dj++)
                        {
                            int r = i * stride - pad + di, c = j * stride - pad + dj;
                            if (r < 0 || r >= h || c < 0 || c >= w) continue;
                            double v = x[(p * h + r) * w + c];
                            sum += v;
                            best = Math.Max(best, v);
                        }
                    y[(p * oh + i) * ow + j] = max ? best : sum / (k * k);
                }
        return y;
    }

    /// <summary>Nearest (⌊o·in/out⌋) or bilinear (align_corners = false) resize of planes [planes, h, w].</summary>
    public static double[] Resize(double[] x, int planes, int h, int w, int oh, int ow, bool bilinear)
    {
        var y = new double[planes * oh * ow];
        for (int p = 0; p < planes; p++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                {
                    var (r0, r1, ly) = Tap(i, h, oh, bilinear);
                    var (c0, c1, lx) = Tap(j, w, ow, bilinear);
                    double X(int r, int c) => x[(p * h + r) * w + c];
                    y[(p * oh + i) * ow + j] = (1 - ly) * ((1 - lx) * X(r0, c0) + lx * X(r0, c1)) + ly * ((1 - lx) * X(r1, c0) + lx * X(r1, c1));
                }
        return y;

        static (int, int, double) Tap(int o, int inSize, int outSize, bool bilinear)
        {
            double scale = (double)inSize / outSize;
            if (!bilinear)
            {
                int i = Math.Min((int)Math.Floor(o * scale), inSize - 1);
                return (i, i, 0);
            }
            double src = Math.Max(0, (o + 0.5) * scale - 0.5);
            int i0 = Math.Min((int)src, inSize - 1);
            // The engine stores the interpolation weight as float; it is a constant of the op, not a function of x.
            return (i0, Math.Min(i0 + 1, inSize - 1), (float)(src - i0));
        }
    }

    // ------------------------------------------------------------------ normalization, softmax

    /// <summary>Batch norm of x [n, c, inner] with batch statistics (training, biased variance) or the given running ones.</summary>
    public static double[] BatchNorm(double[] x, int n, int c, int inner, double[]? gamma, double[]? beta, bool training, double[] runningMean, double[] runningVar, double eps)
    {
        var y = new double[x.Length];
        int m = n * inner;
        for (int ch = 0; ch < c; ch++)
        {
            double mu = runningMean[ch], var = runningVar[ch];
            if (training)
            {
                mu = 0;
                for (int b = 0; b < n; b++) for (int i = 0; i < inner; i++) mu += x[(b * c + ch) * inner + i];
                mu /= m;
                var = 0;
                for (int b = 0; b < n; b++) for (int i = 0; i < inner; i++) var += Math.Pow(x[(b * c + ch) * inner + i] - mu, 2);
                var /= m;
            }
            for (int b = 0; b < n; b++)
                for (int i = 0; i < inner; i++)
                {
                    int at = (b * c + ch) * inner + i;
                    y[at] = (gamma?[ch] ?? 1) * (x[at] - mu) / Math.Sqrt(var + eps) + (beta?[ch] ?? 0);
                }
        }
        return y;
    }

    /// <summary>Softmax (or log-softmax) of every row of length <paramref name="cols"/>.</summary>
    public static double[] Softmax(double[] x, int cols, bool log)
    {
        var y = new double[x.Length];
        for (int r = 0; r < x.Length / cols; r++)
        {
            var row = x.AsSpan(r * cols, cols);
            double max = double.NegativeInfinity;
            foreach (var v in row) max = Math.Max(max, v);
            double sum = 0;
            foreach (var v in row) sum += Math.Exp(v - max);
            for (int j = 0; j < cols; j++) y[r * cols + j] = log ? row[j] - max - Math.Log(sum) : Math.Exp(row[j] - max) / sum;
        }
        return y;
    }

    // ------------------------------------------------------------------ gathers, scatters, segments

    /// <summary>y[i] = x[index[i]] over rows of width <paramref name="row"/>.</summary>
    public static double[] Gather(double[] x, int row, int[] index)
    {
        var y = new double[index.Length * row];
        for (int i = 0; i < index.Length; i++) Array.Copy(x, index[i] * row, y, i * row, row);
        return y;
    }

    /// <summary>Segment sum / mean / max of rows [m, c] into [count, c] (negative ids skipped, empty segments 0).</summary>
    public static double[] Segment(double[] x, int c, int[] seg, int count, string how)
    {
        var y = new double[count * c];
        var n = new int[count];
        if (how == "max") Array.Fill(y, double.NegativeInfinity);
        for (int r = 0; r < seg.Length; r++)
        {
            if (seg[r] < 0) continue;
            n[seg[r]]++;
            for (int j = 0; j < c; j++)
            {
                ref double d = ref y[seg[r] * c + j];
                d = how == "max" ? Math.Max(d, x[r * c + j]) : d + x[r * c + j];
            }
        }
        for (int s = 0; s < count; s++)
            for (int j = 0; j < c; j++)
            {
                if (n[s] == 0) y[s * c + j] = 0;
                else if (how == "mean") y[s * c + j] /= n[s];
            }
        return y;
    }

    /// <summary>EdgeConv features y[i, j] = (x[nbr] − x[i], x[i]).</summary>
    public static double[] EdgeFeatures(double[] x, int n, int c, int[] nb, int k)
    {
        var y = new double[n * k * 2 * c];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < k; j++)
                for (int q = 0; q < c; q++)
                {
                    y[(i * k + j) * 2 * c + q] = x[nb[i * k + j] * c + q] - x[i * c + q];
                    y[(i * k + j) * 2 * c + c + q] = x[i * c + q];
                }
        return y;
    }

    // ------------------------------------------------------------------ reductions and shapes

    /// <summary>Sum, mean or max along one axis of a tensor viewed as [outer, d, inner].</summary>
    public static double[] Reduce(double[] x, int[] shape, int axis, string how)
    {
        int outer = shape.Take(axis).Aggregate(1, (p, v) => p * v), d = shape[axis], inner = shape.Skip(axis + 1).Aggregate(1, (p, v) => p * v);
        var y = new double[outer * inner];
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                double s = how == "max" ? double.NegativeInfinity : 0;
                for (int k = 0; k < d; k++)
                {
                    double v = x[(o * d + k) * inner + i];
                    s = how == "max" ? Math.Max(s, v) : s + v;
                }
                y[o * inner + i] = how == "mean" ? s / d : s;
            }
        return y;
    }

    /// <summary>Concatenation of tensors of shapes <paramref name="shapes"/> along <paramref name="axis"/>.</summary>
    public static double[] Concat(double[][] parts, int[][] shapes, int axis)
    {
        int outer = shapes[0].Take(axis).Aggregate(1, (p, v) => p * v);
        var y = new List<double>();
        for (int o = 0; o < outer; o++)
            for (int p = 0; p < parts.Length; p++)
            {
                int block = shapes[p].Skip(axis).Aggregate(1, (q, v) => q * v);
                y.AddRange(parts[p].AsSpan(o * block, block).ToArray());
            }
        return [.. y];
    }

    /// <summary>Elements [start, start + length) along <paramref name="axis"/>.</summary>
    public static double[] Slice(double[] x, int[] shape, int axis, int start, int length)
    {
        int outer = shape.Take(axis).Aggregate(1, (p, v) => p * v), inner = shape.Skip(axis + 1).Aggregate(1, (p, v) => p * v), d = shape[axis];
        var y = new List<double>();
        for (int o = 0; o < outer; o++) y.AddRange(x.AsSpan((o * d + start) * inner, length * inner).ToArray());
        return [.. y];
    }

    /// <summary>Transpose of [r, c].</summary>
    public static double[] Transpose(double[] x, int r, int c)
    {
        var y = new double[x.Length];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) y[j * r + i] = x[i * c + j];
        return y;
    }

    // ------------------------------------------------------------------ losses

    /// <summary>PyTorch's cross-entropy (mean over non-ignored rows, class weights, label smoothing).</summary>
    public static double CrossEntropy(double[] z, int c, int[] labels, int ignore, float[]? weights, double eps)
    {
        var logp = Softmax(z, c, log: true);
        double loss = 0, total = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            int y = labels[i];
            if (y == ignore) continue;
            double wy = weights?[y] ?? 1;
            total += wy;
            loss -= (1 - eps) * wy * logp[i * c + y];
            for (int k = 0; k < c; k++) loss -= eps / c * (weights?[k] ?? 1) * logp[i * c + k];
        }
        return total > 0 ? loss / total : 0;
    }

    /// <summary>Mean BCE on logits with a positive weight: −[w·t·ln σ(z) + (1 − t)·ln(1 − σ(z))].</summary>
    public static double BinaryCrossEntropy(double[] z, double[] t, double positiveWeight)
    {
        double s = 0;
        for (int i = 0; i < z.Length; i++)
        {
            double sig = 1 / (1 + Math.Exp(-z[i]));
            s -= positiveWeight * t[i] * Math.Log(sig) + (1 - t[i]) * Math.Log(1 - sig);
        }
        return s / z.Length;
    }

    /// <summary>mean |p − t| or mean (p − t)².</summary>
    public static double Regression(double[] p, double[] t, bool l1) => p.Zip(t, (a, b) => l1 ? Math.Abs(a - b) : (a - b) * (a - b)).Average();

    /// <summary>mean over rows of 1 − ⟨a, b⟩ / √(‖a‖²‖b‖² + ε²).</summary>
    public static double CosineLoss(double[] a, double[] b, int d, double eps = 1e-8)
    {
        int n = a.Length / d;
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            double dot = 0, na = 0, nb = 0;
            for (int k = 0; k < d; k++) { dot += a[i * d + k] * b[i * d + k]; na += a[i * d + k] * a[i * d + k]; nb += b[i * d + k] * b[i * d + k]; }
            s += dot / Math.Sqrt(na * nb + (double)((float)eps * (float)eps));
        }
        return 1 - s / n;
    }

    /// <summary>1 − (2Σ p·t + s)/(Σ p + Σ t + s).</summary>
    public static double Dice(double[] p, double[] t, double smooth) =>
        1 - (2 * p.Zip(t, (a, b) => a * b).Sum() + smooth) / (p.Sum() + t.Sum() + smooth);

    /// <summary>De Brabandere et al.'s discriminative loss, as documented on Losses.Discriminative.</summary>
    public static double Discriminative(double[] e, int dim, int[] ids, double deltaVar, double deltaDist, double wVar, double wDist, double wReg, bool l1)
    {
        var keys = ids.Where(i => i >= 0).Distinct().ToList(); // order does not matter for the value
        int k = keys.Count;
        if (k == 0) return 0;
        var mu = new double[k][];
        var members = new List<int>[k];
        for (int q = 0; q < k; q++)
        {
            members[q] = Enumerable.Range(0, ids.Length).Where(i => ids[i] == keys[q]).ToList();
            mu[q] = new double[dim];
            foreach (int i in members[q]) for (int j = 0; j < dim; j++) mu[q][j] += e[i * dim + j] / members[q].Count;
        }
        double Norm(Func<int, double> v)
        {
            double s = 0;
            for (int j = 0; j < dim; j++) s += l1 ? Math.Abs(v(j)) : v(j) * v(j);
            return l1 ? s : Math.Sqrt(s + (double)1e-8f);
        }
        double lVar = 0;
        for (int q = 0; q < k; q++)
        {
            double s = 0;
            foreach (int i in members[q]) s += Math.Pow(Math.Max(0, Norm(j => e[i * dim + j] - mu[q][j]) - deltaVar), 2);
            lVar += s / members[q].Count;
        }
        lVar /= k;
        double lDist = 0;
        if (k > 1)
        {
            for (int a = 0; a < k; a++)
                for (int b = 0; b < k; b++)
                    if (a != b) lDist += Math.Pow(Math.Max(0, 2 * deltaDist - Norm(j => mu[a][j] - mu[b][j])), 2);
            lDist /= k * (k - 1);
        }
        double lReg = mu.Select(m => Norm(j => m[j])).Average();
        return wVar * lVar + wDist * lDist + wReg * lReg;
    }

    // ------------------------------------------------------------------ sparse convolution

    /// <summary>Offset k of a K³ kernel: centred for odd K, 0..K−1 for even K (KernelMap's numbering).</summary>
    public static (int Dx, int Dy, int Dz) KernelOffset(int k, int kernel)
    {
        int lo = kernel % 2 == 1 ? -(kernel / 2) : 0;
        return (k / (kernel * kernel) + lo, k / kernel % kernel + lo, k % kernel + lo);
    }

    /// <summary>
    /// Regular sparse convolution from its definition: y[o] = Σ_k x[at(o·s + d_k·dl)] · W[k] over the output voxels,
    /// reading the input voxel at each position through a dictionary (absent voxels contribute nothing).
    /// </summary>
    public static double[] SparseConv(SparseCoords input, SparseCoords output, double[] x, double[] w, int kernel, int stride, int dilation, int cin, int cout)
    {
        var at = Index(input);
        int volume = kernel * kernel * kernel;
        var y = new double[output.Count * cout];
        for (int o = 0; o < output.Count; o++)
        {
            var (b, px, py, pz) = output[o];
            for (int k = 0; k < volume; k++)
            {
                var (dx, dy, dz) = KernelOffset(k, kernel);
                if (!at.TryGetValue((b, px * stride + dx * dilation, py * stride + dy * dilation, pz * stride + dz * dilation), out int i)) continue;
                for (int ci = 0; ci < cin; ci++)
                    for (int co = 0; co < cout; co++) y[o * cout + co] += x[i * cin + ci] * w[(k * cin + ci) * cout + co];
            }
        }
        return y;
    }

    /// <summary>Transposed sparse convolution: y[fine at p·s + d_k] += x[p] · W[k] for every coarse voxel p.</summary>
    public static double[] SparseConvTransposed(SparseCoords coarse, SparseCoords fine, double[] x, double[] w, int kernel, int stride, int cin, int cout)
    {
        var at = Index(fine);
        int volume = kernel * kernel * kernel;
        var y = new double[fine.Count * cout];
        for (int p = 0; p < coarse.Count; p++)
        {
            var (b, px, py, pz) = coarse[p];
            for (int k = 0; k < volume; k++)
            {
                var (dx, dy, dz) = KernelOffset(k, kernel);
                if (!at.TryGetValue((b, px * stride + dx, py * stride + dy, pz * stride + dz), out int f)) continue;
                for (int ci = 0; ci < cin; ci++)
                    for (int co = 0; co < cout; co++) y[f * cout + co] += x[p * cin + ci] * w[(k * cin + ci) * cout + co];
            }
        }
        return y;
    }

    private static Dictionary<(int, int, int, int), int> Index(SparseCoords coords)
    {
        var d = new Dictionary<(int, int, int, int), int>();
        for (int r = 0; r < coords.Count; r++) d[coords[r]] = r;
        return d;
    }
}
