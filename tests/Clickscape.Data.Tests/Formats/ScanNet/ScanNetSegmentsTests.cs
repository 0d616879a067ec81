using Clickscape.Data.Formats.ScanNet;
using Clickscape.Data.IO;
using Clickscape.Geometry.Scenes;
using Clickscape.Geometry.Segmentation;

namespace Clickscape.Data.Tests.Formats.ScanNet;

public sealed class ScanNetSegmentsTests : IDisposable
{
    private readonly string _scans = Directory.CreateTempSubdirectory("clickscape-segs-").FullName;

    public void Dispose() => Directory.Delete(_scans, recursive: true);

    /// <summary>A 3×3 vertex grid (two instances, left and right column pairs) as a ScanNet scene folder.</summary>
    private (string Dir, Scene Scene) WriteScene(int[] segments)
    {
        var positions = new float[27];
        for (int i = 0; i < 9; i++)
        {
            positions[3 * i] = i % 3;
            positions[3 * i + 1] = i / 3;
        }
        var scene = new Scene("scene0007_00", positions)
        {
            Faces = [0, 1, 4, 0, 4, 3, 1, 2, 5, 1, 5, 4, 3, 4, 7, 3, 7, 6, 4, 5, 8, 4, 8, 7],
            SemanticLabels = [5, 5, 7, 5, 5, 7, 5, 5, 7],
            InstanceIds = [1, 1, 2, 1, 1, 2, 1, 1, 2],
        };
        ScanNetSceneWriter.Write(_scans, scene.Name, scene, segments);
        var dir = Path.Combine(_scans, scene.Name);
        return (dir, ScanNetScene.Load(dir));
    }

    [Fact]
    public void SegsFileIsReadWhenPresentAndTheSegmentatorRunsWhenAbsent()
    {
        int[] segments = [0, 0, 2, 0, 0, 2, 6, 6, 2];
        var (dir, scene) = WriteScene(segments);
        Assert.Equal(segments, ScanNetScene.LoadOrComputeSegments(dir, scene));

        File.Delete(Path.Combine(dir, SegmentsFile.FileName(scene.Name)));
        Assert.Equal(MeshSegmentator.Segment(scene.Positions, scene.Faces!), ScanNetScene.LoadOrComputeSegments(dir, scene));
    }

    [Fact]
    public void ASegsFileOfTheWrongLengthIsAnErrorNamingIt()
    {
        var (dir, scene) = WriteScene([0, 0, 2, 0, 0, 2, 6, 6, 2]);
        var path = Path.Combine(dir, SegmentsFile.FileName(scene.Name));
        new SegmentsFile(scene.Name, [0, 0, 1]).Write(path);
        var e = Assert.Throws<DataFormatException>(() => ScanNetScene.LoadOrComputeSegments(dir, scene));
        Assert.StartsWith(path, e.Message);
        Assert.Contains("3 segment ids, the mesh has 9 vertices", e.Message);
    }
}
