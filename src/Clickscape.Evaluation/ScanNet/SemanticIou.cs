using Clickscape.Data.Classes;
using Clickscape.Evaluation.Averaging;

namespace Clickscape.Evaluation.ScanNet;

/// <summary>Result of <see cref="SemanticIou"/>: per-class IoU (NaN when a class occurs nowhere), mIoU and accuracy.</summary>
/// <param name="Confusion">Rows = GT class, columns = predicted class, last column = UNKNOWN (any other prediction).</param>
public sealed record SemanticIouResult(
    IReadOnlyList<int> ClassIds,
    IReadOnlyList<string> ClassNames,
    double[] ClassIou,
    long[] TruePositives,
    long[] Denominators,
    double MeanIou,
    double OverallAccuracy,
    long[][] Confusion,
    IReadOnlyList<string> Notes);

/// <summary>
/// ScanNet 3D semantic label evaluation [SN:BenchmarkScripts/3d_evaluation/evaluate_semantic_label.py;
/// REFERENCE.md §1.5]: vertices whose GT is not one of the evaluated classes are skipped; a prediction
/// outside them counts as UNKNOWN. Per class c: TP = conf[c,c], FN = row sum − TP (UNKNOWN included),
/// FP = column c summed over the other evaluated GT rows; IoU = TP / (TP + FP + FN), NaN when 0/0.
/// <para>The official script prints no mean and crashes (TypeError) when a class occurs in neither GT nor
/// prediction; here such a class is NaN, left out of mIoU (NumPy nanmean order) with a note.
/// Overall accuracy = Σ TP / number of evaluated vertices (UNKNOWN predictions count as wrong).</para>
/// </summary>
public sealed class SemanticIou
{
    private readonly int[] _ids;
    private readonly string[] _names;
    private readonly int[] _indexOfLabel;

    /// <summary>The 20 ScanNet benchmark classes.</summary>
    public SemanticIou()
        : this(ScanNetBenchmark.Semantic20Ids, ScanNetBenchmark.Semantic20Names)
    {
    }

    /// <summary>Evaluates the given classes (ids ≥ 0, in output order).</summary>
    public SemanticIou(IReadOnlyList<int> classIds, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(classIds);
        ArgumentNullException.ThrowIfNull(classNames);
        if (classIds.Count != classNames.Count || classIds.Count == 0)
            throw new ArgumentException("class ids and names must be non-empty lists of the same length");
        _ids = [.. classIds];
        _names = [.. classNames];
        _indexOfLabel = new int[_ids.Max() + 1];
        Array.Fill(_indexOfLabel, -1);
        for (var i = 0; i < _ids.Length; i++)
        {
            if (_ids[i] < 0 || _indexOfLabel[_ids[i]] >= 0)
                throw new ArgumentException($"class id {_ids[i]} is negative or listed twice");
            _indexOfLabel[_ids[i]] = i;
        }
    }

    /// <summary>Accumulates one scene into a confusion matrix (rows GT classes, columns classes + UNKNOWN).</summary>
    public void Accumulate(ReadOnlySpan<int> groundTruth, ReadOnlySpan<int> prediction, long[][] confusion)
    {
        ArgumentNullException.ThrowIfNull(confusion);
        if (groundTruth.Length != prediction.Length)
            throw new ArgumentException($"{prediction.Length} predicted labels for {groundTruth.Length} vertices");
        var unknown = _ids.Length;
        for (var v = 0; v < groundTruth.Length; v++)
        {
            var row = ClassOf(groundTruth[v]);
            if (row < 0)
                continue;
            var col = ClassOf(prediction[v]);
            confusion[row][col < 0 ? unknown : col]++;
        }
    }

    /// <summary>An empty confusion matrix for <see cref="Accumulate"/>.</summary>
    public long[][] NewConfusion() => Enumerable.Range(0, _ids.Length).Select(_ => new long[_ids.Length + 1]).ToArray();

    /// <summary>Evaluates pairs of (GT, prediction) label arrays, one pair per scene.</summary>
    public SemanticIouResult Evaluate(IEnumerable<(int[] GroundTruth, int[] Prediction)> scenes)
    {
        ArgumentNullException.ThrowIfNull(scenes);
        var confusion = NewConfusion();
        foreach (var (gt, pred) in scenes)
            Accumulate(gt, pred, confusion);
        return FromConfusion(confusion);
    }

    /// <summary>IoU, mIoU and accuracy from an accumulated confusion matrix.</summary>
    public SemanticIouResult FromConfusion(long[][] confusion)
    {
        ArgumentNullException.ThrowIfNull(confusion);
        var n = _ids.Length;
        var iou = new double[n];
        var tps = new long[n];
        var denominators = new long[n];
        var notes = new List<string>();
        long correct = 0, total = 0;
        for (var c = 0; c < n; c++)
        {
            var tp = confusion[c][c];
            long row = 0, fp = 0;
            for (var k = 0; k <= n; k++)
                row += confusion[c][k];
            for (var r = 0; r < n; r++)
            {
                if (r != c)
                    fp += confusion[r][c];
            }
            var fn = row - tp;
            var denominator = tp + fp + fn;
            tps[c] = tp;
            denominators[c] = denominator;
            iou[c] = denominator == 0 ? double.NaN : (double)tp / denominator;
            if (denominator == 0)
                notes.Add($"{_names[c]}: occurs in neither GT nor prediction; IoU NaN, left out of mIoU (the official script crashes here)");
            correct += tp;
            total += row;
        }
        return new SemanticIouResult(_ids, _names, iou, tps, denominators, NumpySum.NanMean(iou),
            total == 0 ? double.NaN : (double)correct / total, confusion, notes);
    }

    private int ClassOf(int label) => (uint)label < (uint)_indexOfLabel.Length ? _indexOfLabel[label] : -1;
}
