using System.Text;
using Clickscape.Data.Formats.Ply;
using Clickscape.Data.IO;

namespace Clickscape.Data.Tests.Formats.Ply;

/// <summary>Attack: PLY ids converted in silence (NaN → 0, 1e20 → int max, 2.5 → 2, uint32 ids saturating into one) and bodies longer than the header.</summary>
public class PlyBadInputTests
{
    private static string Ascii(string labelType, string labelName, params string[] values)
    {
        var sb = new StringBuilder($"ply\nformat ascii 1.0\nelement vertex {values.Length}\nproperty float x\nproperty float y\nproperty float z\nproperty {labelType} {labelName}\nend_header\n");
        for (int i = 0; i < values.Length; i++) sb.Append($"{i} 0 0 {values[i]}\n");
        return sb.ToString();
    }

    private static DataFormatException Refused(string ply) =>
        Assert.Throws<DataFormatException>(() => PlyScene.ToScene(PlyReader.Parse(Encoding.ASCII.GetBytes(ply), "bad.ply"), "bad", "bad.ply"));

    [Theory]
    [InlineData("float", "label", "nan")]
    [InlineData("float", "label", "1e20")]
    [InlineData("double", "label", "2.5")]
    [InlineData("double", "instance", "-1e300")]
    [InlineData("uint", "instance", "4000000000")]
    [InlineData("double", "objectId", "3000000000.0")]
    public void NonIntegerOrOutOfRangeIds_AreErrors_NotConverted(string type, string name, string value)
    {
        var e = Refused(Ascii(type, name, "1", value));
        Assert.Contains("vertex 1", e.Message, StringComparison.Ordinal);
        Assert.Contains("not a whole number", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WholeFloatIds_AndLargeUintIdsInRange_AreExact()
    {
        var scene = PlyScene.ToScene(PlyReader.Parse(Encoding.ASCII.GetBytes(Ascii("uint", "instance", "2147483647", "2147483646")), "ok.ply"), "ok", "ok.ply");
        Assert.Equal(new[] { 2147483647, 2147483646 }, scene.InstanceIds); // two instances, not saturated into one
        var floats = PlyScene.ToScene(PlyReader.Parse(Encoding.ASCII.GetBytes(Ascii("float", "label", "3", "0")), "ok.ply"), "ok", "ok.ply");
        Assert.Equal(new[] { 3, 0 }, floats.SemanticLabels);
    }

    [Fact]
    public void AsciiBodyLongerThanTheHeader_IsRefused()
    {
        var e = Refused(Ascii("int", "label", "1", "2") + "7 7 7 3\n");
        Assert.Contains("more values than the header declares", e.Message, StringComparison.Ordinal);
        // Trailing whitespace is not data.
        PlyReader.Parse(Encoding.ASCII.GetBytes(Ascii("int", "label", "1") + "\n\n  \n"), "ok.ply");
    }

    [Theory]
    [InlineData(PlyFormat.BinaryLittleEndian)]
    [InlineData(PlyFormat.BinaryBigEndian)]
    public void BinaryBodyLongerThanTheHeader_IsRefused(PlyFormat format)
    {
        var scene = TestScenes.Random(4, 10);
        using var stream = new MemoryStream();
        PlyWriter.Write(stream, PlyScene.FromScene(scene, new PlyWriteOptions { Format = format, Labels = true }), format);
        var bytes = stream.ToArray();
        PlyReader.Parse(bytes, "ok.ply");
        var e = Assert.Throws<DataFormatException>(() => PlyReader.Parse([.. bytes, 0, 0, 0, 0], "bad.ply"));
        Assert.Contains("4 bytes longer than the header declares", e.Message, StringComparison.Ordinal);
    }
}
