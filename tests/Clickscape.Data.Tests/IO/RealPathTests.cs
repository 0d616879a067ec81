using Clickscape.Data.IO;
using Clickscape.Data.Tests.Formats;

namespace Clickscape.Data.Tests.IO;

public class RealPathTests
{
    [Fact]
    public void SymlinksAreResolved_ForContainment()
    {
        if (OperatingSystem.IsWindows()) return;
        var root = TestScenes.TempDir();
        var folder = Path.Combine(root, "pred");
        Directory.CreateDirectory(Path.Combine(folder, "pred_mask"));
        var secret = Path.Combine(root, "secret.txt");
        File.WriteAllText(secret, "top secret\n");
        File.WriteAllText(Path.Combine(folder, "pred_mask", "a.txt"), "1\n");
        File.CreateSymbolicLink(Path.Combine(folder, "pred_mask", "leak.txt"), secret);
        File.CreateSymbolicLink(Path.Combine(folder, "up"), root);
        File.CreateSymbolicLink(Path.Combine(folder, "inner"), Path.Combine(folder, "pred_mask"));

        Assert.True(RealPath.IsInside(Path.Combine(folder, "pred_mask", "a.txt"), folder));
        Assert.False(RealPath.IsInside(Path.Combine(folder, "pred_mask", "leak.txt"), folder));
        Assert.False(RealPath.IsInside(Path.Combine(folder, "up", "secret.txt"), folder));
        Assert.True(RealPath.IsInside(Path.Combine(folder, "inner", "a.txt"), folder));
        Assert.Equal(secret, RealPath.Of(Path.Combine(folder, "pred_mask", "leak.txt")));

        var loop = Path.Combine(root, "loop");
        File.CreateSymbolicLink(loop, loop);
        Assert.Throws<DataFormatException>(() => RealPath.Of(Path.Combine(loop, "x")));
    }
}
