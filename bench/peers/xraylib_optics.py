#!/usr/bin/python3
"""Peer benchmark: xraylib (C library, Python binding) computing, for each material and
energy, mu/rho by process, mu_en/rho (CS_Energy), delta and beta, as a user's script would.
Prints {"name", "medianMs", "samples"} as JSON. Usage: xraylib_optics.py materials.json N"""
import json
import math
import statistics
import sys
import time

import xraylib as xrl

R_E_CM = 2.8179403262e-13
AVOGADRO = 6.02214076e23
HC_KEV_CM = 1.239841984e-7


def run(materials, energies):
    sink = 0.0
    for m in materials:
        rho = m["density"]
        els = [(z, w, xrl.AtomicWeight(z)) for _, z, w in m["elements"]]
        for e in energies:
            photo = coh = inc = muen = f1n = 0.0
            for z, w, a in els:
                photo += w * xrl.CS_Photo(z, e)
                coh += w * xrl.CS_Rayl(z, e)
                inc += w * xrl.CS_Compt(z, e)
                muen += w * xrl.CS_Energy(z, e)
                f1n += rho * w * AVOGADRO / a * (z + xrl.Fi(z, e))
            lam = HC_KEV_CM / e
            mu = (photo + coh + inc) * rho
            delta = R_E_CM * lam * lam * f1n / (2 * math.pi)
            beta = mu * lam / (4 * math.pi)
            sink += delta + beta + muen
    return sink


def main():
    materials = json.load(open(sys.argv[1]))
    n = int(sys.argv[2])
    energies = [1.0 * (200.0 / 1.0) ** (i / (n - 1)) for i in range(n)]
    run(materials, energies[:10])
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        run(materials, energies)
        times.append((time.perf_counter() - t0) * 1e3)
    name = f"peer: xraylib {xrl.__version__} via Python, {len(materials)} x {n}"
    print(json.dumps({"name": name, "medianMs": statistics.median(times), "samples": len(times)}))


if __name__ == "__main__":
    main()
