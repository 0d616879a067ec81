using System.Globalization;
using System.Text;

namespace Clickscape.Data.IO;

/// <summary>
/// Makes an error message safe to print on one terminal line. Messages quote what the user's files hold
/// (a token that is not a number, a path, a class name), and those bytes may be ANSI escape sequences, other
/// control characters, bidirectional overrides or a line of a megabyte. The one place that cleans them:
/// line breaks and tabs become spaces, other control and format characters become visible <c>\xNN</c> /
/// <c>\uNNNN</c> escapes, every word longer than <see cref="MaxWord"/> characters keeps its head and says how
/// long it was, and the whole message is cut at <see cref="MaxLength"/>. Clean text passes unchanged, and
/// cleaning twice gives the same text as cleaning once.
/// </summary>
public static class ErrorText
{
    /// <summary>Longest run of non-space characters kept whole (long enough for any real path).</summary>
    public const int MaxWord = 512;

    /// <summary>Longest message kept whole.</summary>
    public const int MaxLength = 1000;

    private const string CutMark = " …(message cut)";

    /// <summary>The printable one-line form of <paramref name="message"/>.</summary>
    public static string OneLine(string? message)
    {
        if (string.IsNullOrEmpty(message)) return "";
        var result = new StringBuilder(Math.Min(message.Length, MaxLength) + 32);
        var word = new StringBuilder(MaxWord);
        int wordLength = 0; // characters of the current word after escaping, including those not kept
        bool cut = false;

        void Flush()
        {
            if (wordLength == 0) return;
            if (wordLength > MaxWord)
            {
                word.Length = MaxWord - 32;
                if (char.IsHighSurrogate(word[^1])) word.Length--;
                word.Append("…(").Append(wordLength.ToString(CultureInfo.InvariantCulture)).Append(" chars)");
            }
            result.Append(word);
            word.Clear();
            wordLength = 0;
        }

        void Add(ReadOnlySpan<char> text)
        {
            if (wordLength < MaxWord) word.Append(text);
            wordLength += text.Length;
        }

        for (int i = 0; i < message.Length && !cut; i++)
        {
            char c = message[i];
            if (c is ' ' or '\r' or '\n' or '\t' or '\u2028' or '\u2029' or '\u0085' or '\v' or '\f')
            {
                if (c == '\r' && i + 1 < message.Length && message[i + 1] == '\n') i++; // CRLF is one break
                Flush();
                result.Append(' ');
                if (result.Length > MaxLength) cut = true;
                continue;
            }
            if (char.IsHighSurrogate(c) && i + 1 < message.Length && char.IsLowSurrogate(message[i + 1]))
            {
                Add([c, message[++i]]);
            }
            else if (char.IsSurrogate(c))
            {
                Add("\uFFFD");
            }
            else if (c < ' ' || c == '\u007F')
            {
                Add("\\x" + ((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else if (IsInvisible(c))
            {
                Add("\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                Add([c]);
            }
        }
        Flush();
        if (cut || result.Length > MaxLength)
        {
            int keep = Math.Min(result.Length, MaxLength - CutMark.Length);
            if (keep > 0 && char.IsHighSurrogate(result[keep - 1])) keep--;
            while (keep > 0 && result[keep - 1] == ' ') keep--;
            result.Length = keep;
            result.Append(CutMark);
        }
        return result.ToString().Trim();
    }

    // C1 controls, soft hyphen, zero-width and bidirectional formatting characters: they reorder or hide what a terminal shows.
    private static bool IsInvisible(char c) =>
        c is >= '\u0080' and <= '\u009F' or '\u00AD' or >= '\u200B' and <= '\u200F' or >= '\u202A' and <= '\u202E'
            or >= '\u2060' and <= '\u206F' or '\uFEFF' or >= '\uFFF9' and <= '\uFFFB';
}
