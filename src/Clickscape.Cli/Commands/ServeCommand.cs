using System.CommandLine;
using Clickscape.Studio;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace Clickscape.Cli.Commands;

/// <summary>
/// <c>clickscape serve --data DIR [--run RUN] [--interactive RUN2] [--port 5170] [--host 127.0.0.1] [--token T] [--state DIR] [--train-config F]</c>:
/// Clickscape Studio in the browser (<see cref="StudioServer"/>) until Ctrl+C. Listens on loopback unless
/// <c>--host</c> says otherwise, and then only with <c>--token</c>. Background jobs (train, pseudo-label from the page)
/// run this same program as child processes. Refine uses the trained interactive network of <c>--interactive</c> (or of
/// <c>--run</c> when that is an interactive run), else the model-free fallback; a run that does not load stops serve.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Dataset folder (ScanNet layout, S3DIS, PartNet, or scene files).", Required = true };
        var run = new Option<string?>("--run") { Description = "Predictions to review (predict / pseudo-label output, or a run folder holding such outputs or a checkpoint)." };
        var interactive = new Option<string?>("--interactive") { Description = "Trained interactive / interactive-fast run for refine (default: --run when it is one; else the model-free fallback)." };
        var port = new Option<int>("--port") { Description = "TCP port.", DefaultValueFactory = _ => StudioOptions.DefaultPort };
        var host = new Option<string>("--host") { Description = "Address to listen on; beyond loopback only with --token.", DefaultValueFactory = _ => "127.0.0.1" };
        var token = new Option<string?>("--token") { Description = "Access token every API call must carry (Authorization: Bearer T; open the page as /?token=T)." };
        var state = new Option<string?>("--state") { Description = "Folder of the annotation database (default DATA/.clickscape-studio)." };
        var trainConfig = new Option<string?>("--train-config") { Description = "Training configuration (JSON over the preset) for the page's train jobs, e.g. fewer epochs." };
        var command = new Command("serve", "Clickscape Studio: label scans in the browser with clicks.") { data, run, interactive, port, host, token, state, trainConfig };
        CommandAction.Set(command, (parse, output) =>
        {
            var options = new StudioOptions
            {
                DataPath = parse.GetValue(data)!,
                RunPath = parse.GetValue(run),
                InteractiveRunPath = parse.GetValue(interactive),
                Port = parse.GetValue(port),
                Host = parse.GetValue(host)!,
                Token = parse.GetValue(token),
                StatePath = parse.GetValue(state),
                ClickscapeCommand = SelfCommand(),
                TrainConfigPath = parse.GetValue(trainConfig) is { } f ? Path.GetFullPath(f) : null,
            };
            if (!Directory.Exists(options.DataPath) && !File.Exists(options.DataPath))
                throw new UsageException($"--data {options.DataPath}: no such folder or file");
            Microsoft.AspNetCore.Builder.WebApplication app;
            try
            {
                app = StudioServer.Build(options);
            }
            catch (ArgumentException e)
            {
                // StudioServer validates the listening options with ArgumentException; here they are the user's options.
                throw new UsageException(e.Message, e);
            }
            app.Start();
            var urls = string.Join(", ", app.Urls.Select(u => u + (options.Token is null ? "/" : "/?token=…")));
            var refiner = app.Services.GetService(typeof(Clickscape.Studio.Scenes.InteractiveModel)) is Clickscape.Studio.Scenes.InteractiveModel model
                ? $"{model.Method} {model.Run}" : "the model-free fallback";
            output.WriteLine($"Clickscape Studio on {urls}  (data {options.DataPath}; refine: {refiner}; Ctrl+C stops)");
            app.WaitForShutdown();
            return 0;
        });
        return command;
    }

    /// <summary>The command line that starts this program again (for Studio's background jobs): the app host, or <c>dotnet clickscape.dll</c>.</summary>
    private static string[]? SelfCommand()
    {
        var host = Environment.ProcessPath;
        var entry = typeof(ServeCommand).Assembly.Location;
        if (host is null) return null;
        return Path.GetFileNameWithoutExtension(host) == "dotnet" && entry.Length > 0 ? [host, entry] : [host];
    }
}
