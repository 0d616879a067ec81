using System.Diagnostics;
using System.Runtime.Intrinsics.X86;
using Clickscape.Tensors.Kernels;

namespace Clickscape.Tensors.Tests.Kernels;

/// <summary>
/// Every SIMD kernel has narrower fallbacks (STYLE.md: "every SIMD path is tested with the instruction sets
/// switched off"). These tests re-run the kernel and sparse-convolution tests of this assembly in a child
/// test process with AVX-512, then AVX2, switched off through the runtime's switches, so the fallbacks run
/// on every <c>dotnet test</c>, not only on a machine without AVX-512.
/// </summary>
public class InstructionSetFallbackTests
{
    /// <summary>Set in the child process: the microkernel path the parent expects the child to run.</summary>
    private const string ExpectVariable = "CLICKSCAPE_EXPECT_GEMM_PATH";

    [Fact]
    public void ActivePathMatchesTheInstructionSetsThisProcessHas()
    {
        var expected = Avx512F.IsSupported ? "avx512" : Fma.IsSupported ? "avx2" : "scalar";
        Assert.Equal(expected, Gemm.ActivePath);
        // In a child run the switches must really have taken effect.
        var requested = Environment.GetEnvironmentVariable(ExpectVariable);
        if (!string.IsNullOrEmpty(requested)) Assert.Equal(requested, Gemm.ActivePath);
    }

    [Theory]
    [InlineData("DOTNET_EnableAVX512", "avx2")]
    [InlineData("DOTNET_EnableAVX2", "scalar")]
    public async Task KernelTestsPassWithWideInstructionSetsSwitchedOff(string switchVariable, string expectedPath)
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(ExpectVariable)))
            return; // this is already the child run: do not recurse (the parent asserts the outcome)
        if (expectedPath == "avx2" && !Fma.IsSupported)
            expectedPath = "scalar";

        var assembly = typeof(InstructionSetFallbackTests).Assembly.Location;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     "test", assembly, "--filter",
                     "FullyQualifiedName~Clickscape.Tensors.Tests.Kernels|FullyQualifiedName~Clickscape.Tensors.Tests.Sparse|FullyQualifiedName~Clickscape.Tensors.Tests.Ops.Conv2dTests",
                 })
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment[switchVariable] = "0";
        start.Environment[ExpectVariable] = expectedPath;
        using var child = Process.Start(start)!;
        var stdout = child.StandardOutput.ReadToEndAsync();
        var stderr = child.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        await child.WaitForExitAsync(timeout.Token);
        var output = await stdout + await stderr;
        Assert.True(child.ExitCode == 0, $"kernel tests failed with {switchVariable}=0:\n{output}");
        var passed = System.Text.RegularExpressions.Regex.Match(output, @"Passed:\s+(\d+)");
        Assert.True(passed.Success && int.Parse(passed.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 20,
            $"expected the child run to execute the kernel tests:\n{output}");
    }
}
