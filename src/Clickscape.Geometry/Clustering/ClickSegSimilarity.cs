namespace Clickscape.Geometry.Clustering;

/// <summary>
/// ClickSeg's point-to-cluster similarity (ClickSeg §3.1, Eq. 5):
/// S = Q · exp(−(D_e/σ_e)² − (D_p/σ_p)²), with D_e = ‖e_i − e_j‖ (embeddings), D_p = ‖p_i − p_j‖ (positions, or
/// offset-shifted positions p + o once offsets are learned) and Q = s_i·s_j / (‖s_i‖ ‖s_j‖) (cosine of the
/// semantic probability vectors). Each term is a column range of the per-point feature vector; a range of
/// length 0 drops the term (Q = 1 or distance 0).
/// </summary>
/// <param name="EmbeddingStart">First column of e.</param>
/// <param name="EmbeddingLength">Length of e.</param>
/// <param name="PositionStart">First column of p.</param>
/// <param name="PositionLength">Length of p (3, or 0).</param>
/// <param name="SemanticStart">First column of s.</param>
/// <param name="SemanticLength">Length of s (classes, or 0).</param>
/// <param name="SigmaE">σ_e.</param>
/// <param name="SigmaP">σ_p.</param>
public readonly record struct ClickSegSimilarity(int EmbeddingStart, int EmbeddingLength, int PositionStart, int PositionLength,
    int SemanticStart, int SemanticLength, float SigmaE = 1, float SigmaP = 1) : IClusterSimilarity
{
    /// <inheritdoc/>
    public float Similarity(ReadOnlySpan<float> point, ReadOnlySpan<float> centre)
    {
        float de = Distance2(point.Slice(EmbeddingStart, EmbeddingLength), centre.Slice(EmbeddingStart, EmbeddingLength));
        float dp = Distance2(point.Slice(PositionStart, PositionLength), centre.Slice(PositionStart, PositionLength));
        float q = 1;
        if (SemanticLength > 0)
        {
            var a = point.Slice(SemanticStart, SemanticLength);
            var b = centre.Slice(SemanticStart, SemanticLength);
            float dot = 0, na = 0, nb = 0;
            for (int i = 0; i < a.Length; i++)
            {
                dot += a[i] * b[i];
                na += a[i] * a[i];
                nb += b[i] * b[i];
            }
            q = na > 0 && nb > 0 ? dot / MathF.Sqrt(na * nb) : 0;
        }
        return q * MathF.Exp(-de / (SigmaE * SigmaE) - dp / (SigmaP * SigmaP));
    }

    private static float Distance2(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        float s = 0;
        for (int i = 0; i < a.Length; i++)
            s += (a[i] - b[i]) * (a[i] - b[i]);
        return s;
    }
}
