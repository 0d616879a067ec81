using BenchmarkDotNet.Attributes;
using Clickscape.Evaluation.ScanNet;

namespace Clickscape.Benchmarks.Evaluation;

/// <summary>
/// ScanNet instance AP on a validation-sized set: 312 scenes × 150 000 vertices × 50 predictions (generated in
/// memory). The official Python script needs about 0.4 s per scene (~2 minutes); the target here is &lt; 10 s.
/// </summary>
[MemoryDiagnoser]
public class InstanceApBenchmarks
{
    private IReadOnlyList<InstanceScene> _scenes = [];

    [Params(312)]
    public int Scenes { get; set; }

    [GlobalSetup]
    public void Setup() => _scenes = SyntheticInstanceScenes.Generate(Scenes, 150_000, 50, seed: 1);

    [Benchmark]
    public double Evaluate() => new InstanceAp().Evaluate(_scenes).Ap;
}
