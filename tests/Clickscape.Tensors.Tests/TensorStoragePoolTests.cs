namespace Clickscape.Tensors.Tests;

public class TensorStoragePoolTests
{
    [Theory]
    [InlineData(1, 64)]
    [InlineData(64, 64)]
    [InlineData(65, 72)]       // 2^6 / 8 = 8
    [InlineData(1000, 1024)]   // 2^9 / 8 = 64
    [InlineData(1025, 1152)]   // 2^10 / 8 = 128
    [InlineData(1_600_000, 1_703_936)] // 2^20 / 8 = 131 072, 13 steps
    public void SizeClassesWasteAtMostOneEighth(int length, int expected)
    {
        int size = TensorStoragePool.SizeClass(length);
        Assert.Equal(expected, size);
        Assert.True(size >= length && (size <= 64 || size - length <= length / 8 + 1), $"{length} → {size}");
    }

    [Fact]
    public void ReturnedArraysAreReusedAndForeignOnesIgnored()
    {
        // A size unlikely to be used by other tests running in parallel.
        var a = TensorStoragePool.Rent(777_777);
        Assert.True(a.Length >= 777_777);
        TensorStoragePool.Return(a);
        var b = TensorStoragePool.Rent(777_000);
        Assert.Same(a, b);
        TensorStoragePool.Return(new float[777_778]); // not a size class: dropped, never handed out
        var c = TensorStoragePool.Rent(777_777);
        Assert.NotEqual(777_778, c.Length);
    }

    [Fact]
    public void DisposedTensorStorageGoesBackToThePool()
    {
        var t = Tensor.Zeros(3, 1234, 7);
        t.Dispose();
        Assert.True(t.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => t.Data.Length);
        t.Dispose(); // idempotent
    }
}
