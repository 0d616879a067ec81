using BenchmarkDotNet.Running;

namespace Clickscape.Benchmarks;

/// <summary>
/// BenchmarkDotNet entry point: <c>dotnet run -c Release --project bench/Clickscape.Benchmarks -- --filter '*Gemm*'</c>.
/// Benchmarks mirror <c>src/</c>: Tensors/, Geometry/, Evaluation/.
/// </summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
