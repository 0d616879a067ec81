namespace Clickscape.Models.PointGroup;

/// <summary>
/// Class and score of a grouped proposal (<see cref="PgGrouping"/>): the class is the majority vote of the points'
/// predicted classes, as in PointGroup (REFERENCE.md §2 Grouping); the score is our stand-in for PointGroup's
/// ScoreNet, the mean probability of that class over the proposal's points.
/// </summary>
internal static class PgClusterScore
{
    /// <summary>Argmax class per point of an N × C probability matrix; ties (and NaN rows) go to the lowest class index.</summary>
    public static int[] Argmax(ReadOnlySpan<float> probabilities, int classes)
    {
        int n = probabilities.Length / classes;
        var predicted = new int[n];
        for (int i = 0; i < n; i++)
        {
            var row = probabilities.Slice(i * classes, classes);
            int best = 0;
            for (int c = 1; c < classes; c++)
            {
                if (row[c] > row[best])
                    best = c;
            }
            predicted[i] = best;
        }
        return predicted;
    }

    /// <summary>
    /// The majority class of <paramref name="points"/> under <paramref name="predicted"/> (ties → lower class index)
    /// and the mean of <paramref name="probabilities"/>[point, class] over the points (0 for an empty set).
    /// </summary>
    public static (int Class, float Score) MajorityMeanProbability(ReadOnlySpan<int> points, ReadOnlySpan<int> predicted,
        ReadOnlySpan<float> probabilities, int classes)
    {
        Span<int> votes = classes <= 256 ? stackalloc int[classes] : new int[classes];
        votes.Clear();
        foreach (int p in points)
            votes[predicted[p]]++;
        int majority = 0;
        for (int c = 1; c < classes; c++)
        {
            if (votes[c] > votes[majority])
                majority = c;
        }
        if (points.Length == 0)
            return (majority, 0f);
        double sum = 0;
        foreach (int p in points)
            sum += probabilities[p * classes + majority];
        return (majority, (float)(sum / points.Length));
    }
}
