#!/usr/bin/python3
"""Peer benchmark: scikit-image's iradon (filtered back-projection) on the problem
bench/fbp.bench.ts gives xtwin.

Input files (written by the xtwin bench): a phantom image n x n (float32, row-major [y][x],
mu in 1/m) and a sinogram [angle][bin] (float32, dimensionless line integrals) of n bins,
angles equally spaced over 180 degrees (endpoint excluded). n is odd so that skimage's
rotation centre (pixel n // 2, bin n // 2) is xtwin's ((n - 1) / 2). skimage returns mu times
the pixel size, so its image is divided by the pixel size. Accuracy: RMSE against the phantom
inside the reconstruction circle (radius (n - 1) / 2 pixels), in 1/m.

Prints a JSON list of {"name", "medianMs", "samples", "rmse", "filter"}.
Usage: skimage_iradon.py PHANTOM.f32 SINOGRAM.f32 N ANGLES PIXEL_M REPEATS"""
import json
import statistics
import sys
import time
import warnings

import numpy as np
import skimage
from skimage.transform import iradon


def main():
    phantom_path, sino_path = sys.argv[1:3]
    n, n_angles = int(sys.argv[3]), int(sys.argv[4])
    pixel = float(sys.argv[5])
    repeats = int(sys.argv[6])
    phantom = np.fromfile(phantom_path, dtype=np.float32).reshape(n, n).astype(np.float64)
    sino = np.fromfile(sino_path, dtype=np.float32).reshape(n_angles, n).astype(np.float64).T  # [bin][angle]
    theta = np.arange(n_angles, dtype=np.float64) * 180.0 / n_angles
    c = (n - 1) / 2
    yy, xx = np.mgrid[0:n, 0:n]
    inside = (xx - c) ** 2 + (yy - c) ** 2 <= c * c
    rows = []
    for name in ("ramp", "shepp-logan"):
        times = []
        rec = None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for _ in range(repeats):
                t0 = time.perf_counter()
                rec = iradon(sino, theta, output_size=n, filter_name=name, interpolation="linear", circle=True)
                times.append((time.perf_counter() - t0) * 1e3)
        # skimage's image is [row][col] with rows along the detector's -y? Its radon/iradon pair is
        # consistent with x along columns and angles measured as in its radon; pick the orientation
        # that matches the phantom (both candidates are reported in the error of the worse one).
        rec = rec / pixel
        candidates = [rec, rec.T, rec[::-1, :], rec[:, ::-1], rec[::-1, :].T, rec[:, ::-1].T, rec[::-1, ::-1], rec[::-1, ::-1].T]
        errs = [float(np.sqrt(np.mean((r[inside] - phantom[inside]) ** 2))) for r in candidates]
        rows.append({
            "name": f"peer: skimage {skimage.__version__} iradon(filter={name}, linear), {n}^2 from {n_angles} angles",
            "medianMs": statistics.median(times),
            "samples": len(times),
            "rmse": min(errs),
            "filter": name,
        })
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
