using Clickscape.Data.Formats.Text;
using Clickscape.Data.IO;

namespace Clickscape.Data.Tests.IO;

/// <summary>Attack: tokens of the input echoed raw into errors (ANSI escapes, control bytes, megabyte lines).</summary>
public class ErrorTextTests
{
    [Fact]
    public void CleanText_PassesUnchanged()
    {
        const string message = "scan.ply: vertex 3: label 2.5 is not a whole number — expected 0..40 (ünïcode ok, 日本)";
        Assert.Equal(message, ErrorText.OneLine(message));
    }

    [Theory]
    [InlineData("a\u001b[31mred\u001b[0m", "a\\x1B[31mred\\x1B[0m")]
    [InlineData("bell\u0007 nul\u0000 del\u007f", "bell\\x07 nul\\x00 del\\x7F")]
    [InlineData("two\nlines\r\nthree", "two lines three")]
    [InlineData("evil\u202Etxt.exe c1\u009b", "evil\\u202Etxt.exe c1\\u009B")]
    public void ControlAndFormatCharacters_BecomeVisibleEscapes(string raw, string expected)
    {
        Assert.Equal(expected, ErrorText.OneLine(raw));
    }

    [Fact]
    public void MegabyteLines_AreCut_AndCleaningIsIdempotent()
    {
        var word = new string('x', 1 << 20);
        var once = ErrorText.OneLine($"f.txt: line 1: '{word}' is not a number");
        Assert.True(once.Length <= ErrorText.MaxLength, $"{once.Length} characters");
        Assert.Contains("chars)", once, StringComparison.Ordinal);
        Assert.EndsWith("is not a number", once, StringComparison.Ordinal); // the words after the long one survive
        Assert.Equal(once, ErrorText.OneLine(once));
        var many = ErrorText.OneLine(string.Join(' ', Enumerable.Repeat("word", 100_000)));
        Assert.True(many.Length <= ErrorText.MaxLength);
        Assert.Equal(many, ErrorText.OneLine(many));
    }

    [Fact]
    public void DataFormatException_MessageIsClean_WhateverTheFileHolds()
    {
        var bytes = "0 0 0\n1 1 \u001b]0;pwned\u0007\n"u8.ToArray();
        var e = Assert.Throws<DataFormatException>(() => TextTable.Parse(bytes, "scan\u001b[2J.xyz"));
        Assert.DoesNotContain('\u001b', e.Message);
        Assert.DoesNotContain('\u0007', e.Message);
        Assert.StartsWith("scan\\x1B[2J.xyz: ", e.Message, StringComparison.Ordinal);
    }
}
