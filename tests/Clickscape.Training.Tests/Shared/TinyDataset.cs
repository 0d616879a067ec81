using System.Text.Json.Nodes;
using Clickscape.Data.Formats.ScanNet;
using Clickscape.Data.Synthetic.Scenes;
using Clickscape.Geometry.Scenes;
using Clickscape.Training.Configs;

namespace Clickscape.Training.Tests.Shared;

/// <summary>
/// Tiny ScanNet-layout datasets for the tests: generated small rooms (seed 11) cropped to a square around the room's
/// centre holding about <c>points</c> vertices, written with <see cref="ScanNetSceneWriter"/>; every third scene is
/// in val. The generated rooms are cached per process (generation costs ~0.5 s a room).
/// </summary>
internal static class TinyDataset
{
    private static readonly Dictionary<(int, int), (Scene, int[])> Generated = [];
    private static readonly Lock Gate = new();

    /// <summary>Writes <paramref name="count"/> tiny scenes under <paramref name="root"/>; returns the root.</summary>
    public static string Create(string root, int count, int points = 2500, bool splits = true)
    {
        var scans = Path.Combine(root, "scans");
        Directory.CreateDirectory(scans);
        var ids = new List<string>();
        for (int i = 0; i < count; i++)
        {
            var (scene, segments) = Scene(i, points);
            var id = SceneGenerator.SceneId(i);
            scene.Name = id;
            ScanNetSceneWriter.Write(scans, id, scene, segments);
            ids.Add(id);
        }
        if (splits)
        {
            var val = ids.Where((_, i) => i % 3 == 2).ToList();
            ScanNetSplits.Write(ScanNetSplits.PathOf(root, "train"), ids.Except(val));
            ScanNetSplits.Write(ScanNetSplits.PathOf(root, "val"), val);
        }
        return root;
    }

    /// <summary>Generated room <paramref name="index"/> cropped to about <paramref name="points"/> vertices.</summary>
    public static (Scene Scene, int[] Segments) Scene(int index, int points)
    {
        lock (Gate)
        {
            if (Generated.TryGetValue((index, points), out var done)) return done;
            var g = SceneGenerator.Generate(11, index, SceneSize.Small);
            var s = g.Scene;
            var (min, max) = s.Bounds();
            var centre = (min + max) * 0.5f;
            // the smallest square around the centre (full height) holding ≥ points vertices
            var dist = Enumerable.Range(0, s.PointCount).Select(i => MathF.Max(MathF.Abs(s.Positions[3 * i] - centre.X), MathF.Abs(s.Positions[3 * i + 1] - centre.Y))).ToArray();
            float half = dist.Order().ElementAt(Math.Min(points, s.PointCount) - 1);
            var keep = Enumerable.Range(0, s.PointCount).Where(i => dist[i] <= half).ToArray();
            var sliced = s.Slice(keep);
            var segments = keep.Select(i => g.SegIndices[i]).ToArray();
            // renumber instances 1..K in order of appearance
            var remap = new Dictionary<int, int>();
            for (int i = 0; i < sliced.PointCount; i++)
            {
                int id = sliced.InstanceIds![i];
                if (id == 0) continue;
                if (!remap.TryGetValue(id, out int k)) remap[id] = k = remap.Count + 1;
                sliced.InstanceIds[i] = k;
            }
            var result = (sliced, segments);
            Generated[(index, points)] = result;
            return result;
        }
    }

    /// <summary>A tiny configuration: 10 cm voxels, a 2-level U-Net of widths 8, 16, batches of 2, 1 thread, no
    /// evaluation hook (tests add it), checkpoints every 2 steps.</summary>
    public static TrainConfig Config(int epochs = 2, int maxSteps = 0, bool evaluate = false, bool augment = true)
    {
        var json = ConfigLoader.LoadPreset("cpu");
        json = ConfigLoader.Merge(json, JsonNode.Parse($$"""
            {
              "data": { "voxel_size": 0.1, "batch_size": 2, "crop_points": 4000, "batch_point_budget": 8000, "augment": { "enabled": {{(augment ? "true" : "false")}} } },
              "train": { "epochs": {{epochs}}, "max_steps": {{maxSteps}}, "seed": 5, "threads": 1 },
              "model": { "widths": [8, 16], "blocks": 1, "embedding": 4 },
              "optimizer": { "lr": 0.01, "clip_grad_norm": 10.0 },
              "hooks": [ {{(evaluate ? "{ \"type\": \"Evaluate-v1\", \"every_epochs\": 1, \"split\": \"val\" }," : "")}} { "type": "Checkpoint-v1", "every_steps": 2, "best_metric": "miou" } ]
            }
            """)!.AsObject());
        return TrainConfig.FromJson(json);
    }
}
