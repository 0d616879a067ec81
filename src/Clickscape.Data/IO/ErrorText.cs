using System.Globalization;
using System.Text;

namespace Clickscape.Data.IO;

/// <summary>
/// Makes an error message safe to print on one terminal line. Messages quote what the user's files hold
/// (a token that is not a number, a path, a class name), and those bytes may be ANSI escape sequences, other
/// control characters, bidirectional overrides or a line of a megabyte. The one place that cleans them:
/// line breaks become spaces, other control and format characters become visible <c>\xNN</c> / <c>\uNNNN</c>
/// escapes, every word longer than <see cref="MaxWord"/> characters and the whole message beyond
/// <see cref="MaxLength"/> are cut with a note of how much was left out. Clean text passes unchanged, and
/// cleaning twice gives the same text as cleaning once.
/// </summary>
public static class ErrorText
{
    /// <summary>Longest run of non-space characters kept whole (long enough for any real path).</summary>
    public const int MaxWord = 256;

    /// <summary>Longest message kept whole.</summary>
    public const int MaxLength = 1000;

    /// <summary>The printable one-line form of <paramref name="message"/>.</summary>
    public static string OneLine(string? message)
    {
        if (string.IsNullOrEmpty(message)) return "";
        var escaped = new StringBuilder(Math.Min(message.Length, 4 * MaxLength));
        for (int i = 0; i < message.Length && escaped.Length < 4 * MaxLength; i++)
        {
            char c = message[i];
            if (c is '\r' or '\n' or '\t' or '\u2028' or '\u2029' or '\u0085' or '\v' or '\f')
            {
                if (c == '\r' && i + 1 < message.Length && message[i + 1] == '\n') i++;
                escaped.Append(' ');
            }
            else if (char.IsHighSurrogate(c) && i + 1 < message.Length && char.IsLowSurrogate(message[i + 1]))
            {
                escaped.Append(c).Append(message[++i]);
            }
            else if (char.IsSurrogate(c))
            {
                escaped.Append('\uFFFD');
            }
            else if (c < ' ' || c == '\u007F')
            {
                escaped.Append("\\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else if (IsInvisible(c))
            {
                escaped.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                escaped.Append(c);
            }
        }
        bool cutEarly = escaped.Length >= 4 * MaxLength;
        var text = escaped.ToString().Trim();

        // Long words: keep the head, say how long the word was.
        var result = new StringBuilder(Math.Min(text.Length, MaxLength + 64));
        int start = 0;
        while (start < text.Length)
        {
            int end = text.IndexOf(' ', start);
            if (end < 0) end = text.Length;
            int length = end - start;
            if (length > MaxWord)
            {
                result.Append(text, start, MaxWord - 32).Append("…(").Append(length.ToString(CultureInfo.InvariantCulture)).Append(" chars)");
            }
            else
            {
                result.Append(text, start, length);
            }
            if (end < text.Length) result.Append(' ');
            start = end + 1;
        }
        if (result.Length > MaxLength || cutEarly)
        {
            int keep = Math.Min(result.Length, MaxLength - 40);
            if (keep > 0 && char.IsHighSurrogate(result[keep - 1])) keep--;
            result.Length = keep;
            result.Append(" …(message cut)");
        }
        return result.ToString();
    }

    // C1 controls, zero-width and bidirectional formatting characters: they reorder or hide what a terminal shows.
    private static bool IsInvisible(char c) =>
        c is >= '\u0080' and <= '\u009F' or '\u00AD' or >= '\u200B' and <= '\u200F' or >= '\u202A' and <= '\u202E'
            or >= '\u2060' and <= '\u206F' or '\uFEFF' or >= '\uFFF9' and <= '\uFFFB';
}
