#!/usr/bin/python3
"""PyTorch CPU reference for Clickscape's Image2dOpsBenchmarks (bench/Clickscape.Benchmarks/Tensors/Image2dOpsBenchmarks.cs).

The same six cases (forward + backward of sum(y), float32, NCHW, batch 2), on 1 and 2 threads:
  conv3x3 s1 64-64 @64, conv3x3 s2 64-128 @64, conv3x3 d2 64-64 @64 (dilation 2, padding 2),
  convT4x4 s2 64-32 @32 (padding 1), groupnorm32 64 @64, bilinear x2 64 @32 (align_corners=False).
Median of 20 timed runs after 3 warm-ups, in milliseconds.
Set-up (Debian): apt-get install -y python3-torch. For the OpenMP OpenBLAS build, prefix
LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp (see /work/shared/perf-ref/README.md).

usage: /usr/bin/python3 bench/pytorch/image2d_ops.py [--json]
"""
import json
import statistics
import sys
import time

import torch
import torch.nn.functional as F


def cases():
    g = torch.Generator().manual_seed(42)

    def u(*shape, lo=-1.0, hi=1.0):
        return (torch.rand(*shape, generator=g) * (hi - lo) + lo).requires_grad_(True)

    x64 = lambda: u(2, 64, 64, 64)
    x32 = lambda: u(2, 64, 32, 32)
    w = lambda *s: u(*s, lo=-0.05, hi=0.05)
    yield "conv3x3 s1 64-64 @64", (x64(), w(64, 64, 3, 3), w(64)), lambda x, k, b: F.conv2d(x, k, b, 1, 1)
    yield "conv3x3 s2 64-128 @64", (x64(), w(128, 64, 3, 3), w(128)), lambda x, k, b: F.conv2d(x, k, b, 2, 1)
    yield "conv3x3 d2 64-64 @64", (x64(), w(64, 64, 3, 3), w(64)), lambda x, k, b: F.conv2d(x, k, b, 1, 2, 2)
    yield "convT4x4 s2 64-32 @32", (x32(), w(64, 32, 4, 4), w(32)), lambda x, k, b: F.conv_transpose2d(x, k, b, 2, 1)
    yield "groupnorm32 64 @64", (x64(), torch.ones(64, requires_grad=True), torch.zeros(64, requires_grad=True)), \
        lambda x, gm, bt: F.group_norm(x, 32, gm, bt)
    yield "bilinear x2 64 @32", (x32(),), lambda x: F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)


def time_case(inputs, fn, runs=20, warmup=3):
    samples = []
    for i in range(warmup + runs):
        for t in inputs:
            t.grad = None
        t0 = time.perf_counter()
        fn(*inputs).sum().backward()
        dt = time.perf_counter() - t0
        if i >= warmup:
            samples.append(dt * 1e3)
    return statistics.median(samples)


def main():
    rows = []
    for threads in (1, 2):
        torch.set_num_threads(threads)
        for label, inputs, fn in cases():
            rows.append({"case": label, "threads": threads, "ms": time_case(inputs, fn)})
    if "--json" in sys.argv:
        print(json.dumps({"torch": torch.__version__, "rows": rows}, indent=1))
        return
    print(f"torch {torch.__version__}, forward + backward, median ms")
    for r in rows:
        print(f"{r['case']:<24} threads {r['threads']}  {r['ms']:8.2f} ms")


if __name__ == "__main__":
    main()
