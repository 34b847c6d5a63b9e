#!/usr/bin/python3
"""Generate xtwin's per-element x-ray interaction tables from xraylib.

Run with Debian's python (python3-xraylib):  /usr/bin/python3 scripts/generate_element_tables.py
It writes src/materials/data/elementTables.ts and prints the interpolation check.

What is tabulated, for Z = 1..92 on a grid from 1 to 200 keV:
  photo       photoelectric mass cross section tau/rho (cm^2/g)          xraylib CS_Photo
  coherent    Rayleigh mass cross section (cm^2/g)                        xraylib CS_Rayl
  incoherent  Compton mass cross section, with binding S(x,Z) (cm^2/g)    xraylib CS_Compt
  f1          real part of the forward atomic scattering factor (e/atom), f1 = Z + f'
              with f' the anomalous correction                            xraylib Fi
  fluorescence  mean energy (keV) carried away by fluorescence photons per
              photoabsorption, with vacancy cascades:
              X = sum_lines sigma_line * E_line / tau   (Kissel partial cross sections,
              xraylib CS_FluorLine_Kissel_Cascade, LineEnergy, CS_Photo_Total)
  incoherentTransfer  mean fraction of the photon energy given to the electron in an
              incoherent (Compton) scattering, with binding: the Klein-Nishina cross
              section weighted by the incoherent scattering function S(x,Z),
              f_inc = int dsigma_KN/dOmega S(x,Z) (1 - E'/E) dOmega / int dsigma_KN/dOmega S(x,Z) dOmega
              (as in Seltzer, Radiat. Res. 136 (1993) 147; xraylib DCS_KN, SF_Compt,
              MomentTransf). Binding removes forward, low-transfer scatterings, so f_inc
              is a few percent above the free-electron Klein-Nishina value at low E.
Used by xtwin for mu_en/rho = tau (1 - X/E) + sigma_inc * f_inc.
We deliberately do not take xraylib's CS_Energy (mu_en/rho) nor CS_Total_Kissel: both are
far from NIST for light elements in xraylib 4.0 (water at 20 keV: 0.38 / 0.57 cm^2/g
instead of NIST's 0.550 and 0.810).

Absorption edges (K, L1-L3, M1-M5, N1-N7 between 1 and 200 keV) appear twice in the grid:
the value just below and just above. xraylib's photoelectric table puts its discontinuity
within a few eV of EdgeEnergy; we locate it by bisection and take the below/above limits
there, placing both at the tabulated edge energy (Deslattes et al. via xraylib).
"""
import json
import math
import os
import sys

import xraylib as xrl

Z_MAX = 92
# The public range is 1-200 keV; the table starts a little lower so that edges just under
# 1 keV (Cs M3, Nd M4, ...) are placed and 1 keV itself interpolates inside the table.
E_MIN_KEV = 0.95
E_PUBLIC_MIN_KEV = 1.0
# The energies of the NIST SRD 126 tables, where xraylib's own source grids have nodes
# (its interpolation has kinks there): tabulating them exactly keeps our log-log
# interpolation from cutting across a kink.
NIST_GRID_KEV = (1.0, 1.25, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 15.0, 20.0, 30.0, 40.0,
                 50.0, 60.0, 80.0, 100.0, 150.0, 200.0)
E_MAX_KEV = 200.0
POINTS_PER_DECADE = 64
# Extra points around each edge, absolute (keV) and relative to the edge energy, so the
# anomalous dip of f1, which has long logarithmic tails, and the fall of tau just above
# an edge are sampled.
EDGE_OFFSETS_KEV = (0.003, 0.01, 0.025)
EDGE_OFFSETS_REL = (0.005, 0.01, 0.02, 0.035, 0.055, 0.08, 0.11)
SHELLS = [
    ("K", xrl.K_SHELL), ("L1", xrl.L1_SHELL), ("L2", xrl.L2_SHELL), ("L3", xrl.L3_SHELL),
    ("M1", xrl.M1_SHELL), ("M2", xrl.M2_SHELL), ("M3", xrl.M3_SHELL), ("M4", xrl.M4_SHELL),
    ("M5", xrl.M5_SHELL), ("N1", xrl.N1_SHELL), ("N2", xrl.N2_SHELL), ("N3", xrl.N3_SHELL),
    ("N4", xrl.N4_SHELL), ("N5", xrl.N5_SHELL), ("N6", xrl.N6_SHELL), ("N7", xrl.N7_SHELL),
]
AGGREGATE_LINES = {"KA_LINE", "KB_LINE", "LA_LINE", "LB_LINE"}


def all_lines():
    """Every individual fluorescence line macro of xraylib (negative ints), once each."""
    seen = {}
    for name in dir(xrl):
        if name.endswith("_LINE") and name not in AGGREGATE_LINES:
            value = getattr(xrl, name)
            if isinstance(value, int) and value < 0:
                seen.setdefault(value, name)
    return sorted(seen)


LINES = all_lines()


def safe(fn, *args):
    try:
        return fn(*args)
    except ValueError:
        return 0.0


ELECTRON_REST_ENERGY_KEV = 510.99895  # CODATA 2018
INCOHERENT_ANGLES = 256


def incoherent_transfer_fraction(z, e):
    """Mean energy fraction transferred to the electron in incoherent scattering."""
    k = e / ELECTRON_REST_ENERGY_KEV
    num = den = 0.0
    for i in range(INCOHERENT_ANGLES):
        theta = math.pi * (i + 0.5) / INCOHERENT_ANGLES
        scattered_fraction = 1.0 / (1.0 + k * (1.0 - math.cos(theta)))  # Compton E'/E
        q = xrl.MomentTransf(e, theta)
        try:
            s = xrl.SF_Compt(z, q)
        except ValueError:
            s = float(z)  # beyond xraylib's table S(x,Z) has reached its limit Z
        w = xrl.DCS_KN(e, theta) * s * math.sin(theta)
        num += w * (1.0 - scattered_fraction)
        den += w
    return num / den


def fluorescence_energy(z, e):
    """Mean fluorescence energy (keV) emitted per photoabsorption at energy e."""
    tau = safe(xrl.CS_Photo_Total, z, e)
    if tau <= 0.0:
        return 0.0
    emitted = 0.0
    for line in LINES:
        sigma = safe(xrl.CS_FluorLine_Kissel_Cascade, z, line, e)
        if sigma > 0.0:
            emitted += sigma * safe(xrl.LineEnergy, z, line)
    return emitted / tau


def photo_discontinuity(z, edge):
    """Energy where xraylib's CS_Photo jumps, searched within +-40 eV of the edge."""
    lo, hi = edge - 0.04, edge + 0.04
    steps = 160
    best_ratio, best_i = 1.0, None
    prev = xrl.CS_Photo(z, lo)
    for i in range(1, steps + 1):
        v = xrl.CS_Photo(z, lo + (hi - lo) * i / steps)
        if v / prev > best_ratio:
            best_ratio, best_i = v / prev, i
        prev = v
    if best_i is None or best_ratio < 1.0005:
        return None
    a = lo + (hi - lo) * (best_i - 1) / steps
    b = lo + (hi - lo) * best_i / steps
    va = xrl.CS_Photo(z, a)
    for _ in range(60):
        m = 0.5 * (a + b)
        if xrl.CS_Photo(z, m) / va > math.sqrt(best_ratio):
            b = m
        else:
            a, va = m, xrl.CS_Photo(z, m)
    return a, b


def element_edges(z):
    edges = []
    for label, shell in SHELLS:
        e = safe(xrl.EdgeEnergy, z, shell)
        if E_MIN_KEV < e < E_MAX_KEV:  # edges below 1 keV matter only near it
            edges.append((label, e))
    edges.sort(key=lambda t: t[1])
    return edges


def row(z, e_eval, e_place):
    return (
        e_place,
        xrl.CS_Photo(z, e_eval),
        xrl.CS_Rayl(z, e_eval),
        xrl.CS_Compt(z, e_eval),
        z + xrl.Fi(z, e_eval),
        fluorescence_energy(z, e_eval),
        incoherent_transfer_fraction(z, e_eval),
    )


def element_table(z):
    edges = element_edges(z)
    edge_energies = [e for _, e in edges]
    discontinuities = [photo_discontinuity(z, e) for e in edge_energies]
    # Keep plain points clear of each edge by 1 eV more than xraylib's own discontinuity
    # lies from the tabulated edge energy, so no plain point sits on the wrong side.
    clearance = [
        0.001 + (abs(d[0] - e) if d is not None else 0.0)
        for e, d in zip(edge_energies, discontinuities)
    ]
    n = int(math.ceil(POINTS_PER_DECADE * math.log10(E_MAX_KEV / E_PUBLIC_MIN_KEV)))
    plain = {E_PUBLIC_MIN_KEV * (E_MAX_KEV / E_PUBLIC_MIN_KEV) ** (i / n) for i in range(n + 1)}
    plain.add(E_MIN_KEV)
    plain.update(NIST_GRID_KEV)
    for e in edge_energies:
        for d in EDGE_OFFSETS_KEV + tuple(r * e for r in EDGE_OFFSETS_REL):
            plain.add(e - d)
            plain.add(e + d)
    plain = sorted(
        p for p in plain
        if E_MIN_KEV <= p <= E_MAX_KEV
        and all(abs(p - e) > c for e, c in zip(edge_energies, clearance))
    )
    rows = [row(z, p, p) for p in plain]
    jumps = []
    for (label, e), disc in zip(edges, discontinuities):
        if disc is None:
            below_eval, above_eval = e - 1e-4, e + 1e-4
        else:
            below_eval, above_eval = disc
        below = row(z, below_eval, e)
        above = row(z, above_eval, e)
        # X is the same on both sides only by accident; take it a few eV away from the
        # Kissel table's own edge so each side gets its own value.
        below = below[:5] + (fluorescence_energy(z, e - 0.003), below[6])
        above = above[:5] + (fluorescence_energy(z, e + 0.003), above[6])
        rows.append(below)
        rows.append(above)
        jumps.append((label, e, above[1] / below[1]))
    # Stable sort on energy keeps "below" before "above" at an edge.
    order = sorted(range(len(rows)), key=lambda i: (rows[i][0], i))
    rows = [rows[i] for i in order]
    return edges, jumps, rows


def loglog(x0, x1, y0, y1, x):
    t = math.log(x / x0) / math.log(x1 / x0)
    return math.exp(math.log(y0) + t * (math.log(y1) - math.log(y0)))


def check_interpolation(z, rows, edge_energies):
    """Largest relative error of the table's own interpolation at interval midpoints
    more than 50 eV from an edge, from 1 keV up: tau, sigma_coh, sigma_inc (log-log), f1 (linear in ln E)."""
    worst = [0.0, 0.0, 0.0, 0.0]
    for a, b in zip(rows, rows[1:]):
        if b[0] <= a[0]:
            continue
        m = math.sqrt(a[0] * b[0])
        if m < E_PUBLIC_MIN_KEV or any(abs(m - e) < 0.05 for e in edge_energies):
            continue
        exact = row(z, m, m)
        for k in range(3):
            approx = loglog(a[0], b[0], a[k + 1], b[k + 1], m)
            worst[k] = max(worst[k], abs(approx / exact[k + 1] - 1))
        t = math.log(m / a[0]) / math.log(b[0] / a[0])
        f1 = a[4] + t * (b[4] - a[4])
        worst[3] = max(worst[3], abs(f1 / exact[4] - 1))
    return worst


def fmt(v, digits=6):
    if v == 0:
        return 0
    return float(f"{v:.{digits}g}")


def main():
    out_path = os.path.join(os.path.dirname(__file__), "..", "src", "materials", "data", "elementTables.ts")
    lines = []
    worst_all = [0.0, 0.0, 0.0, 0.0]
    for z in range(1, Z_MAX + 1):
        edges, jumps, rows = element_table(z)
        worst = check_interpolation(z, rows, [e for _, e in edges])
        worst_all = [max(a, b) for a, b in zip(worst_all, worst)]
        record = {
            "Z": z,
            "symbol": xrl.AtomicNumberToSymbol(z),
            "atomicWeight": xrl.AtomicWeight(z),
            "densityGcm3": xrl.ElementDensity(z),
            "edges": [[label, e, fmt(j, 5)] for label, e, j in jumps],
            "energyKeV": [fmt(r[0], 8) for r in rows],
            "photo": [fmt(r[1]) for r in rows],
            "coherent": [fmt(r[2]) for r in rows],
            "incoherent": [fmt(r[3]) for r in rows],
            "f1": [fmt(r[4]) for r in rows],
            "fluorescenceKeV": [fmt(r[5], 5) for r in rows],
            "incoherentTransfer": [fmt(r[6], 5) for r in rows],
        }
        lines.append(json.dumps(record, separators=(",", ":")))
        sys.stderr.write(f"\rZ={z:2d} rows={len(rows)}")
    sys.stderr.write("\n")
    names = ["photo", "coherent", "incoherent", "f1"]
    print("largest interpolation error >50 eV from edges: " +
          ", ".join(f"{n} {w * 100:.3f}%" for n, w in zip(names, worst_all)))
    version = getattr(xrl, "__version__", "unknown")
    header = f"""// GENERATED FILE: do not edit. Made by scripts/generate_element_tables.py
// (npm run generate:elements) from xraylib {version} (Schoonjans et al., Spectrochim. Acta B
// 66 (2011) 776, doi:10.1016/j.sab.2011.09.011), Debian package python3-xraylib.
// Per element Z = 1..{Z_MAX}, energies {E_MIN_KEV:g}-{E_MAX_KEV:g} keV ({POINTS_PER_DECADE} points per decade plus
// every absorption edge twice, below then above, with points around each edge):
//   photo, coherent, incoherent: mass cross sections (cm^2/g), xraylib CS_Photo (Scofield
//     1973), CS_Rayl and CS_Compt (Hubbell et al. form factors and scattering functions);
//   f1 = Z + f' (electrons/atom), xraylib Fi (anomalous scattering factors);
//   fluorescenceKeV: mean fluorescence energy leaving per photoabsorption, from
//     CS_FluorLine_Kissel_Cascade x LineEnergy / CS_Photo_Total;
//   incoherentTransfer: mean fraction of the photon energy given to the electron in
//     incoherent scattering, Klein-Nishina weighted by S(x,Z) (DCS_KN, SF_Compt).
// One JSON record per line, parsed lazily per element by src/materials/elementTable.ts.
// Interpolation check at interval midpoints more than 50 eV from an edge, largest error:
//   {", ".join(f"{n} {w * 100:.3f}%" for n, w in zip(names, worst_all))}

export const ELEMENT_TABLE_SOURCE = {{
  library: "xraylib",
  version: "{version}",
  generator: "scripts/generate_element_tables.py",
  energyRangeKeV: [{E_MIN_KEV:g}, {E_MAX_KEV:g}],
  pointsPerDecade: {POINTS_PER_DECADE},
}} as const;

export const ELEMENT_TABLE_RECORDS = `
"""
    with open(out_path + ".tmp", "w") as f:
        f.write(header)
        f.write("\n".join(lines))
        f.write("\n`;\n")
    os.replace(out_path + ".tmp", out_path)
    print(f"wrote {os.path.relpath(out_path)} ({os.path.getsize(out_path) / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
