#!/usr/bin/python3
"""Peer benchmark: Fresnel propagation of an n x n complex128 field with numpy's FFT, the
way a beamline script does it: np.fft.ifft2(np.fft.fft2(u) * H) with the transfer function
H = exp(-i pi lambda z (fx^2 + fy^2)) precomputed (no padding, periodic).

Prints one JSON object {"name", "medianMs", "samples"}. Usage: numpy_fft2.py N REPEATS"""
import json
import statistics
import sys
import time

import numpy as np


def main():
    n, repeats = int(sys.argv[1]), int(sys.argv[2])
    dx, lam, z = 0.1e-6, 1.239841984e-9 / 17.0, 0.1
    f = np.fft.fftfreq(n, dx)
    H = np.exp(-1j * np.pi * lam * z * (f[None, :] ** 2 + f[:, None] ** 2))
    y, x = np.mgrid[0:n, 0:n]
    u = np.exp(1j * 0.5 * np.sin(0.01 * x) * np.cos(0.013 * y))
    np.fft.ifft2(np.fft.fft2(u) * H)  # warm-up
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        v = np.fft.ifft2(np.fft.fft2(u) * H)
        times.append((time.perf_counter() - t0) * 1e3)
    assert v.shape == (n, n)
    print(json.dumps({
        "name": f"peer: numpy {np.__version__} ifft2(fft2(u) * H), {n} x {n} complex128",
        "medianMs": statistics.median(times),
        "samples": len(times),
    }))


if __name__ == "__main__":
    main()
