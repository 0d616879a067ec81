using Clickscape.Data.Formats.S3dis;
using Clickscape.Data.IO;

namespace Clickscape.Data.Tests.Formats.S3dis;

public class S3disRoomBadInputTests
{
    /// <summary>Attack: a folder named like an annotation file was skipped in silence (its object lost).</summary>
    [Fact]
    public void AnnotationThatIsAFolder_IsAnError()
    {
        var room = Path.Combine(TestScenes.TempDir(), "office_1");
        var ann = Path.Combine(room, "Annotations");
        Directory.CreateDirectory(Path.Combine(ann, "chair_2.txt"));
        File.WriteAllText(Path.Combine(ann, "chair_1.txt"), "1 2 3 10 20 30\n");
        var e = Assert.Throws<DataFormatException>(() => S3disRoom.Load(room));
        Assert.Contains("chair_2.txt: is a folder", e.Message, StringComparison.Ordinal);
    }
}
