using System.CommandLine;
using Clickscape.Data;
using Clickscape.Data.Formats.Npy;
using Clickscape.Data.Formats.Ply;
using Clickscape.Data.Formats.SemanticKitti;
using Clickscape.Data.Formats.Text;

namespace Clickscape.Cli.Commands;

/// <summary>
/// <c>clickscape convert IN OUT [--ascii]</c>: reads any supported scene and writes it in the format of OUT's
/// extension: <c>.ply</c> (binary little endian, or ASCII with <c>--ascii</c>; colours, normals, faces, and
/// <c>label</c> / <c>instance</c> columns when the scene has them), <c>.npy</c> (float32 N×3, or N×6 with
/// colours 0–255), <c>.xyz</c> (x y z), <c>.xyzrgb</c> / <c>.txt</c> (x y z r g b when coloured), <c>.bin</c>
/// (SemanticKITTI; labels go to <c>.label</c> beside it). Output files are written atomically.
/// </summary>
internal static class ConvertCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("in") { Description = "The scene to read (file or scene folder)." };
        var outPath = new Argument<string>("out") { Description = "The file to write; its extension (.ply, .npy, .xyz, .xyzrgb, .txt, .bin) picks the format." };
        var ascii = new Option<bool>("--ascii") { Description = "Write PLY as ASCII instead of binary little endian." };
        var command = new Command("convert", "Convert a scene between formats (.ply, .npy, .xyz, .xyzrgb, .txt, .bin).") { input, outPath, ascii };
        CommandAction.Set(command, (parse, output) =>
        {
            var source = parse.GetValue(input)!;
            var target = parse.GetValue(outPath)!;
            string ext = Path.GetExtension(target).ToLowerInvariant();
            if (ext is not (".ply" or ".npy" or ".xyz" or ".xyzrgb" or ".txt" or ".bin"))
                throw new UsageException($"{target}: unsupported output extension '{ext}', expected .ply, .npy, .xyz, .xyzrgb, .txt or .bin");
            var scene = SceneLoader.Load(source);
            switch (ext)
            {
                case ".ply":
                    PlyScene.Save(target, scene, new PlyWriteOptions
                    {
                        Format = parse.GetValue(ascii) ? PlyFormat.Ascii : PlyFormat.BinaryLittleEndian,
                        Labels = scene.SemanticLabels is not null,
                        Instances = scene.InstanceIds is not null,
                        Comments = [$"converted by clickscape from {Path.GetFileName(source)}"],
                    });
                    break;
                case ".npy":
                    NpyScene.Save(target, scene);
                    break;
                case ".xyz":
                    scene.Colors = null;
                    TextPointCloud.Save(target, scene);
                    break;
                case ".bin":
                    SemanticKittiScan.Save(target, Path.ChangeExtension(target, ".label"), scene);
                    break;
                default:
                    TextPointCloud.Save(target, scene);
                    break;
            }
            output.WriteLine($"{scene.Name}: {scene.PointCount} points, {scene.FaceCount} faces -> {target}");
            return 0;
        });
        return command;
    }
}
