using BenchmarkDotNet.Attributes;
using Clickscape.Models.PointGroup;
using Clickscape.Tensors.Threading;

namespace Clickscape.Benchmarks.Models;

/// <summary>
/// One Adam training step of the PointGroup-size sparse U-Net (<see cref="PgUNet"/>) on the scene written by
/// <c>/usr/bin/python3 perf-ref/unet_step.py --dump DIR</c> (51 580 voxels). DIR comes from the
/// <c>CLICKSCAPE_UNET_SCENE</c> environment variable (default <c>/tmp/unetscene</c>). The same work as
/// <c>clickscape bench unet-step</c> and as <c>unet_step.py --config "custom fn" T</c>.
/// </summary>
[MemoryDiagnoser]
public class UNetStepBenchmarks
{
    private PgUNet _model = null!;
    private PgTrainingStep _step = null!;

    /// <summary>Compute threads (the reference is measured at 1 and 2).</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        ComputeThreads.Count = Threads;
        string dir = Environment.GetEnvironmentVariable("CLICKSCAPE_UNET_SCENE") ?? "/tmp/unetscene";
        var scene = PgBenchScene.Load(dir);
        _model = new PgUNet(new Random(0), scene.Channels, PgUNet.ScriptWidths, 2, 20, 16);
        _step = new PgTrainingStep(_model, scene.CreateCoords(), scene.Features, scene.Targets);
        _step.Step(); // builds and caches the kernel maps, allocates Adam state
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _step.Dispose();
        _model.Dispose();
    }

    /// <summary>zero_grad + forward + loss + backward + Adam.</summary>
    [Benchmark]
    public float TrainingStep() => _step.Step();
}
