namespace Clickscape.Evaluation.Averaging;

/// <summary>
/// Sums and means in the order NumPy computes them, so that averages printed at full precision agree with
/// the official Python scripts to the last digit. NumPy reduces a contiguous float64 array with pairwise
/// summation [numpy:umath/loops_utils.h.src <c>pairwise_sum</c>]: fewer than 8 values are added left to
/// right; up to 128 values go into 8 interleaved partial sums combined as ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7))
/// followed by the remainder left to right; longer runs split at half rounded down to a multiple of 8.
/// </summary>
public static class NumpySum
{
    private const int BlockSize = 128;

    /// <summary><c>np.sum(values)</c> for a contiguous float64 array.</summary>
    public static double Sum(ReadOnlySpan<double> values)
    {
        if (values.Length < 8)
        {
            var res = 0.0;
            foreach (var v in values)
                res += v;
            return res;
        }
        if (values.Length <= BlockSize)
        {
            Span<double> r = stackalloc double[8];
            values[..8].CopyTo(r);
            var n = values.Length;
            var i = 8;
            for (; i < n - (n % 8); i += 8)
            {
                for (var k = 0; k < 8; k++)
                    r[k] += values[i + k];
            }
            var res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++)
                res += values[i];
            return res;
        }
        var half = values.Length / 2;
        half -= half % 8;
        return Sum(values[..half]) + Sum(values[half..]);
    }

    /// <summary><c>np.mean(values)</c>: the pairwise sum divided by the count (NaN when empty).</summary>
    public static double Mean(ReadOnlySpan<double> values) => Sum(values) / values.Length;

    /// <summary>
    /// <c>np.nanmean(values)</c>: NaNs are replaced by 0 for the pairwise sum and left out of the count;
    /// NaN when every value is NaN.
    /// </summary>
    public static double NanMean(ReadOnlySpan<double> values)
    {
        var replaced = values.Length <= 1024 ? stackalloc double[values.Length] : new double[values.Length];
        var count = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var nan = double.IsNaN(values[i]);
            replaced[i] = nan ? 0.0 : values[i];
            if (!nan)
                count++;
        }
        return count == 0 ? double.NaN : Sum(replaced) / count;
    }
}
