using System.Globalization;

namespace Clickscape.Evaluation.Averaging;

/// <summary>
/// Formats a double the way Python 3's <c>str(float)</c> / <c>repr</c> does (shortest round-trip digits,
/// <c>1.0</c> not <c>1</c>, <c>1e-05</c>, <c>nan</c>, <c>inf</c>), so CSV files match the official scripts' text.
/// </summary>
public static class PythonFloat
{
    /// <summary>The Python text of <paramref name="value"/>.</summary>
    public static string Format(double value)
    {
        if (double.IsNaN(value))
            return "nan";
        if (double.IsPositiveInfinity(value))
            return "inf";
        if (double.IsNegativeInfinity(value))
            return "-inf";
        // "R" gives the shortest round-trip digits; rebuild Python's layout from them: positional when
        // the decimal exponent is in [-4, 16), scientific otherwise.
        var shortest = value.ToString("R", CultureInfo.InvariantCulture);
        var negative = shortest.StartsWith('-');
        var (digits, exponent) = DigitsOf(shortest.TrimStart('-'));
        string body;
        if (exponent is >= -4 and < 16)
        {
            if (exponent >= 0)
            {
                var intPart = digits.Length > exponent + 1 ? digits[..(exponent + 1)] : digits.PadRight(exponent + 1, '0');
                var frac = digits.Length > exponent + 1 ? digits[(exponent + 1)..] : "0";
                body = intPart + "." + frac;
            }
            else
            {
                body = "0." + new string('0', -exponent - 1) + digits;
            }
        }
        else
        {
            var mantissa = digits.Length == 1 ? digits : digits[0] + "." + digits[1..];
            body = mantissa + "e" + (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
        }
        return negative ? "-" + body : body;
    }

    /// <summary>
    /// The significant digits of a round-trip string (no leading/trailing zeros, at least "0") and the decimal
    /// exponent of the first one (value = 0.d1d2… × 10^(exponent+1)).
    /// </summary>
    private static (string Digits, int Exponent) DigitsOf(string text)
    {
        var mantissa = text;
        var shift = 0;
        var ePos = text.IndexOfAny(['E', 'e']);
        if (ePos >= 0)
        {
            mantissa = text[..ePos];
            shift = int.Parse(text[(ePos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }
        var dot = mantissa.IndexOf('.');
        var intLength = dot < 0 ? mantissa.Length : dot;
        var all = mantissa.Replace(".", "", StringComparison.Ordinal);
        var leading = all.Length - all.TrimStart('0').Length;
        var digits = all.Trim('0');
        if (digits.Length == 0)
            return ("0", 0);
        return (digits, intLength - leading - 1 + shift);
    }
}
