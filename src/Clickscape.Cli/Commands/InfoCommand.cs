using System.CommandLine;

namespace Clickscape.Cli.Commands;

/// <summary><c>clickscape info PATH</c>: points, classes and instances of any supported scene or folder.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("path") { Description = "A scene file or a dataset folder." };
        var command = new Command("info", "Print points, classes and instances of a scene or dataset folder.") { path };
        CommandAction.Set(command, (parse, output) =>
        {
            var target = parse.GetValue(path)!;
            if (!File.Exists(target) && !Directory.Exists(target))
                throw new FileNotFoundException($"{target}: no such file or folder");
            output.WriteLine($"{target}: (readers not wired yet)");
            return 0;
        });
        return command;
    }
}
