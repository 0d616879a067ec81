using BenchmarkDotNet.Attributes;
using Clickscape.Geometry.Segmentation;

namespace Clickscape.Benchmarks.Geometry;

/// <summary>
/// ScanNet's Segmentator on a 150 000-vertex room-like mesh (kThresh 0.01, segMinVerts 20). Reference: the
/// official C++ tool takes 0.19–0.22 s with -O2 on a 148 615-vertex room mesh (REFERENCE.md §1.1).
/// </summary>
/// <remarks>Run: <c>dotnet run -c Release --project bench/Clickscape.Benchmarks -- --filter *MeshSegmentator*</c>.</remarks>
[MemoryDiagnoser]
public class MeshSegmentatorBenchmarks
{
    private float[] _positions = [];
    private int[] _faces = [];

    [GlobalSetup]
    public void Setup() => (_positions, _faces) = GeometryBenchData.RoomMesh();

    [Benchmark]
    public int[] Segment150k() => MeshSegmentator.Segment(_positions, _faces);
}
