#!/usr/bin/python3
"""Peer benchmark: scikit-image's radon transform, slice by slice, on a stack of 2-D
slices, as a user's script would project a volume with it.

Problem (the same one bench/projector.bench.ts gives xtwin): nz slices of n x n pixels,
slice k an isotropic Gaussian exp(-r^2 / (2 sigma_k^2)), sigma_k = 6 + 6 k / (nz - 1)
pixels, centred on skimage's rotation centre (pixel n // 2); `angles` projections equally
spaced over 180 degrees (endpoint excluded). skimage.transform.radon returns sums in pixel
units, so the analytic sinogram is sigma sqrt(2 pi) exp(-t^2 / (2 sigma^2)) with t the bin
offset from the centre bin. Accuracy = RMS(sinogram - analytic) / RMS(analytic) over the
whole stack.

Two variants: circle=True (detector of n bins, the same detector as xtwin's) and
circle=False (image padded to its diagonal, ceil(sqrt(2) n) bins).

Prints a JSON list of {"name", "medianMs", "samples", "relRms", "bins"}.
Usage: skimage_radon.py N NZ ANGLES REPEATS"""
import json
import math
import statistics
import sys
import time
import warnings

import numpy as np
import skimage
from skimage.transform import radon


def sigma(k, nz):
    return 6.0 + 6.0 * k / max(1, nz - 1)


def phantom(n, nz):
    c = n // 2  # skimage's rotation centre
    i = np.arange(n, dtype=np.float64) - c
    r2 = i[:, None] ** 2 + i[None, :] ** 2
    return [np.exp(-r2 / (2 * sigma(k, nz) ** 2)) for k in range(nz)]


def analytic(bins, centre, angles, s):
    t = np.arange(bins, dtype=np.float64) - centre
    col = s * math.sqrt(2 * math.pi) * np.exp(-t * t / (2 * s * s))
    return np.repeat(col[:, None], angles, axis=1)  # radon's layout: [bin][angle]


def main():
    n, nz, n_angles, repeats = (int(a) for a in sys.argv[1:5])
    theta = np.arange(n_angles, dtype=np.float64) * 180.0 / n_angles
    slices = phantom(n, nz)
    rows = []
    for circle in (True, False):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            radon(slices[0], theta, circle=circle)  # warm-up
            times = []
            sino = None
            for _ in range(repeats):
                t0 = time.perf_counter()
                sino = [radon(im, theta, circle=circle) for im in slices]
                times.append((time.perf_counter() - t0) * 1e3)
        bins = sino[0].shape[0]
        centre = bins // 2  # the rotation centre's bin in both modes
        err2 = ref2 = 0.0
        for k, sg in enumerate(sino):
            a = analytic(bins, centre, n_angles, sigma(k, nz))
            err2 += float(np.sum((sg - a) ** 2))
            ref2 += float(np.sum(a ** 2))
        rows.append({
            "name": f"peer: skimage {skimage.__version__} radon(circle={circle}), {nz} slices x {n}^2, {n_angles} angles, {bins} bins",
            "medianMs": statistics.median(times),
            "samples": len(times),
            "relRms": math.sqrt(err2 / ref2),
            "bins": bins,
        })
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
