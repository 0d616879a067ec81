using System.Globalization;
using Clickscape.Data.IO;

namespace Clickscape.Data.Formats.Text;

/// <summary>
/// A whitespace-separated numeric table, the body of every plain-text point format (<c>.xyz</c>,
/// <c>.xyzrgb</c>, <c>.txt</c>, S3DIS annotation files, PartNet samples): one row per line, every row with the
/// same number of columns. Blank lines and lines starting with <c>#</c> or <c>//</c> are skipped.
/// </summary>
public sealed class TextTable
{
    private TextTable(float[] values, int rows, int columns)
    {
        Values = values;
        Rows = rows;
        Columns = columns;
    }

    /// <summary>Row-major values.</summary>
    public float[] Values { get; }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Columns per row (0 for an empty table).</summary>
    public int Columns { get; }

    /// <summary>Value at <paramref name="row"/>, <paramref name="column"/>.</summary>
    public float this[int row, int column] => Values[row * Columns + column];

    /// <summary>
    /// Reads <paramref name="path"/>. <paramref name="skipControlBytes"/> drops bytes below 0x20 (other than
    /// whitespace) and above 0x7E inside numbers, for files with a known stray character (S3DIS Area_5/hallway_6).
    /// </summary>
    public static TextTable Read(string path, bool skipControlBytes = false) => Parse(InputFile.ReadAllBytes(path), path, skipControlBytes);

    /// <summary>Parses table <paramref name="bytes"/>; <paramref name="source"/> names them in errors.</summary>
    public static TextTable Parse(ReadOnlySpan<byte> bytes, string source, bool skipControlBytes = false)
    {
        var values = new List<float>(Math.Min(bytes.Length / 4, 1 << 24));
        int columns = -1, rows = 0, lineNumber = 0, pos = 0;
        var clean = new byte[64];
        while (pos < bytes.Length)
        {
            int nl = bytes[pos..].IndexOf((byte)'\n');
            var line = nl < 0 ? bytes[pos..] : bytes.Slice(pos, nl);
            pos = nl < 0 ? bytes.Length : pos + nl + 1;
            lineNumber++;
            var trimmed = line.Trim(" \t\r\f\v"u8);
            if (trimmed.IsEmpty || trimmed[0] == (byte)'#' || trimmed.StartsWith("//"u8)) continue;
            int count = 0, i = 0;
            while (i < trimmed.Length)
            {
                while (i < trimmed.Length && IsSeparator(trimmed[i])) i++;
                int start = i;
                while (i < trimmed.Length && !IsSeparator(trimmed[i])) i++;
                if (i == start) break;
                var token = trimmed[start..i];
                if (skipControlBytes && token.Length <= clean.Length)
                {
                    int k = 0;
                    foreach (byte b in token)
                    {
                        if (b is >= 0x20 and <= 0x7E) clean[k++] = b;
                    }
                    token = clean.AsSpan(0, k);
                }
                if (!float.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out float v))
                    throw new DataFormatException(source, $"line {lineNumber}: '{Printable(token)}' is not a number");
                values.Add(v);
                count++;
            }
            if (columns < 0) columns = count;
            else if (count != columns)
                throw new DataFormatException(source, $"line {lineNumber} has {count} columns, earlier lines have {columns}");
            rows++;
        }
        return new TextTable(values.ToArray(), rows, Math.Max(columns, 0));
    }

    private static bool IsSeparator(byte b) => b is (byte)' ' or (byte)'\t' or (byte)',' or (byte)'\r' or (byte)'\f' or (byte)'\v';

    private static string Printable(ReadOnlySpan<byte> token)
    {
        var chars = new char[Math.Min(token.Length, 40)];
        for (int i = 0; i < chars.Length; i++) chars[i] = token[i] is >= 0x20 and <= 0x7E ? (char)token[i] : '?';
        return new string(chars);
    }
}
