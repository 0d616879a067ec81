using Clickscape.Data.Formats.Ply;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Cli.Tests.Commands;

// Bad options fail before the server starts; the running server is tested in tests/Clickscape.Studio.Tests.
public sealed class ServeCommandTests : CommandTest
{
    private string OneScene()
    {
        var file = Path.Combine(Dir, "room.ply");
        PlyScene.Save(file, new Scene("room", [0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1]));
        return Dir;
    }

    [Fact]
    public void Missing_data_folder_is_one_error_line()
    {
        var (code, _, error) = Run("serve", "--data", Path.Combine(Dir, "nope"));
        Assert.Equal(1, code);
        Assert.StartsWith("error: --data", error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("--host", "0.0.0.0", "refusing without --token")]
    [InlineData("--host", "not-an-ip", "is not an IP address")]
    [InlineData("--port", "70000", "--port 70000 out of range")]
    [InlineData("--token", "short", "at least 8 characters")]
    public void Unsafe_or_bad_listening_options_are_refused(string option, string value, string message)
    {
        var (code, _, error) = Run("serve", "--data", OneScene(), option, value, "--state", Path.Combine(Dir, "state"));
        Assert.Equal(1, code);
        Assert.Contains(message, error);
    }

    [Fact]
    public void A_run_without_predictions_or_a_missing_train_config_is_one_error_line()
    {
        var empty = Directory.CreateDirectory(Path.Combine(Dir, "empty-run")).FullName;
        var (code, _, error) = Run("serve", "--data", OneScene(), "--run", empty, "--state", Path.Combine(Dir, "state"));
        Assert.Equal(1, code);
        Assert.Contains("holds no predictions", error);
        Assert.Single(error.Trim().Split('\n'));
        (code, _, error) = Run("serve", "--data", OneScene(), "--train-config", Path.Combine(Dir, "nope.json"), "--state", Path.Combine(Dir, "state"));
        Assert.Equal(1, code);
        Assert.Contains("--train-config", error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("--repeat", "0", "--repeat 0")]
    [InlineData("--points", "10", "--points 10")]
    [InlineData("--chromium", "/no/such/chromium", "no such program")]
    public void Bench_studio_bad_options_are_one_error_line(string option, string value, string message)
    {
        var (code, _, error) = Run("bench", "studio", option, value);
        Assert.Equal(1, code);
        Assert.Contains(message, error);
        Assert.Single(error.Trim().Split('\n'));
    }
}
