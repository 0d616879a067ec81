using System.Text;
using Clickscape.Data.IO;
using Clickscape.Evaluation.Averaging;

namespace Clickscape.Evaluation.ScanNet;

/// <summary>
/// The official result file of the instance script [SN:evaluate_semantic_instance.py <c>write_result_file</c>]:
/// header <c>class,class id,ap,ap50,ap25</c>, one line per class in the official order, values as Python
/// prints them (full precision, <c>nan</c> for classes without GT).
/// </summary>
public static class InstanceApCsv
{
    /// <summary>The CSV text.</summary>
    public static string Format(InstanceApResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = new StringBuilder("class,class id,ap,ap50,ap25\n");
        for (var c = 0; c < result.ClassNames.Count; c++)
        {
            text.Append(result.ClassNames[c]).Append(',')
                .Append(result.ClassIds[c].ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(',')
                .Append(PythonFloat.Format(result.ClassAp[c])).Append(',')
                .Append(PythonFloat.Format(result.ClassAp50[c])).Append(',')
                .Append(PythonFloat.Format(result.ClassAp25[c])).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Writes the CSV atomically.</summary>
    public static void Write(string path, InstanceApResult result) => AtomicFile.WriteAllText(path, Format(result));
}
