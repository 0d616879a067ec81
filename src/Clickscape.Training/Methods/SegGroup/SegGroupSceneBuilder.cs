using Clickscape.Data;
using Clickscape.Data.Clicks;
using Clickscape.Data.Datasets;
using Clickscape.Geometry.Neighbors;
using Clickscape.Geometry.Scenes;
using Clickscape.Geometry.Segmentation;
using Clickscape.Models.SegGroup;
using Clickscape.Training.Data;

namespace Clickscape.Training.Methods.SegGroup;

/// <summary>
/// Builds the <see cref="SegGroupScene"/> of a dataset scene (REFERENCE.md §4 "Data"): positions and colours as
/// <see cref="PreparedScene"/> makes them (centred, rgb/127.5 − 1), the scene's over-segmentation
/// (<see cref="SceneDataset.Segments"/>: its <c>segs.json</c>, else the Segmentator on a mesh) remapped to 0..S−1, the
/// segment adjacency from the mesh's face edges — or, for a point cloud, from the k nearest neighbours of every point —
/// and the seg-level labels of its clicks (<see cref="SegLevelLabels"/>; a segment clicked for several objects is split
/// between them first, <see cref="SegLevelLabels.SplitSharedSegments"/>).
/// </summary>
/// <remarks>Deviation: the public code first resamples each mesh to 150 000 points; we work on the vertices directly.</remarks>
public static class SegGroupSceneBuilder
{
    /// <summary>The SegGroup input of <paramref name="source"/> (loaded as <paramref name="scene"/>, prepared as <paramref name="prepared"/>) with <paramref name="clicks"/>.</summary>
    /// <returns>The scene and the number of segments split between objects.</returns>
    public static (SegGroupScene Scene, int Split) Build(SceneDataset dataset, SceneSource source, Scene scene, PreparedScene prepared, IEnumerable<Click> clicks, int adjacencyK)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentNullException.ThrowIfNull(prepared);
        if (prepared.PointCount != scene.PointCount) throw new ArgumentException($"scene '{scene.Name}': prepared with {prepared.PointCount} points, loaded with {scene.PointCount}");
        var clickList = clicks.ToList();
        var (segments, split) = SegLevelLabels.SplitSharedSegments(dataset.Segments(source, scene), scene.Positions, clickList);
        var graph = Adjacency(scene, segments, adjacencyK);
        var pointSegment = graph.PointNodes;
        var edgeA = new List<int>();
        var edgeB = new List<int>();
        for (int a = 0; a < graph.Count; a++)
        {
            foreach (int b in graph.Neighbors(a))
            {
                if (b <= a) continue;
                edgeA.Add(a);
                edgeB.Add(b);
            }
        }
        var (segmentObject, objectClass, _) = SegLevelLabels.FromClicks(scene.Name, clickList, pointSegment, graph.Count);
        var result = new SegGroupScene(prepared.Name, prepared.Positions, prepared.Colors, pointSegment, graph.Count, [.. edgeA], [.. edgeB], segmentObject, objectClass);
        result.Validate();
        return (result, split);
    }

    /// <summary>The segment graph: mesh face edges when the scene has faces, else kNN (<paramref name="k"/>) over its points.</summary>
    public static SegmentGraph Adjacency(Scene scene, int[] segments, int k)
    {
        ArgumentNullException.ThrowIfNull(scene);
        if (scene.Faces is { Length: > 0 } faces) return SegmentGraph.FromMesh(segments, scene.Positions, faces);
        int kk = Math.Min(k + 1, scene.PointCount); // the point itself comes first
        var (neighbors, _) = new KdTree(scene.Positions).NearestAll(kk);
        return SegmentGraph.FromNeighbors(segments, scene.Positions, neighbors, kk);
    }
}
