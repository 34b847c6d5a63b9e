import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  ANODES,
  airKermaBehind,
  halfValueLayer,
  meanEnergy,
  tubeSpectrum,
  type AnodeElement,
} from "../../src/beam/tubeSpectrum.js";
import { resolveMaterial } from "../../src/materials/library.js";
import { materialOptics } from "../../src/materials/optics.js";
import { assertRelClose } from "../helpers.js";

const bare = { windowBeMm: 0, selfAbsorption: false, characteristic: false } as const;

test("no filtration, no self-absorption: each bin holds Z [E0 ln(b/a) - (b - a)], the integral of Kramers' Z (E0 - E)/E", () => {
  const s = tubeSpectrum({ anode: "W", kVp: 80, ...bare });
  for (let i = 0; i < s.photons.length; i++) {
    const a = s.edgesKeV[i]!;
    const b = s.edgesKeV[i + 1]!;
    assertRelClose(s.photons[i]!, 74 * (80 * Math.log(b / a) - (b - a)), 1e-12, `bin ${a}-${b} keV`);
  }
  // Narrow bins: photons per keV at the bin centre equal Z (E0 - E)/E.
  const fine = tubeSpectrum({ anode: "Mo", kVp: 35, binKeV: 0.01, ...bare });
  for (const e of [5, 10, 20, 30]) {
    const i = fine.energyKeV.findIndex((c) => c > e);
    const c = fine.energyKeV[i]!;
    assertRelClose(fine.photons[i]! / 0.01, (42 * (35 - c)) / c, 1e-4, `Kramers density at ${c} keV`);
  }
});

test("the spectrum ends at kVp: last edge = kVp, last bin non-zero, nothing above", () => {
  for (const kVp of [60, 60.3, 20, 160]) {
    const s = tubeSpectrum({ anode: "W", kVp, filters: [{ material: "Al", thicknessM: 1e-3 }] });
    const n = s.photons.length;
    assert.is(s.edgesKeV[n], kVp);
    assert.ok(s.energyKeV[n - 1]! < kVp);
    assert.ok(s.photons[n - 1]! > 0, `last bin at ${kVp} kVp is empty`);
    assert.ok(s.lines.every((l) => l.energyKeV < kVp));
  }
});

test("filtration hardens the beam: HVL and mean energy rise with added Al, and with take-off self-absorption", () => {
  const hvls: number[] = [];
  const means: number[] = [];
  for (const mm of [0, 0.5, 2, 5]) {
    const s = tubeSpectrum({ anode: "W", kVp: 80, filters: [{ material: "Al", thicknessM: mm * 1e-3 }] });
    hvls.push(halfValueLayer(s));
    means.push(meanEnergy(s));
  }
  for (let i = 1; i < hvls.length; i++) {
    assert.ok(hvls[i]! > hvls[i - 1]!, `HVL ${hvls.join(", ")}`);
    assert.ok(means[i]! > means[i - 1]!, `mean energy ${means.join(", ")}`);
  }
  const steep = halfValueLayer(tubeSpectrum({ anode: "W", kVp: 80, takeOffAngleDeg: 6 }));
  const flat = halfValueLayer(tubeSpectrum({ anode: "W", kVp: 80, takeOffAngleDeg: 30 }));
  const none = halfValueLayer(tubeSpectrum({ anode: "W", kVp: 80, selfAbsorption: false }));
  assert.ok(steep > flat && flat > none, `self-absorption: 6 deg ${steep}, 30 deg ${flat}, none ${none}`);
});

test("HVL: a single energy gives ln 2 / mu; a spectrum's kerma behind its HVL is one half", () => {
  const mu = materialOptics(resolveMaterial("Al"), 30).mu;
  assertRelClose(halfValueLayer({ energyKeV: [30], photons: [1] }), Math.LN2 / mu, 1e-5, "monoenergetic HVL");
  const s = tubeSpectrum({ anode: "W", kVp: 70, filters: [{ material: "Al", thicknessM: 2.5e-3 }] });
  const h = halfValueLayer(s, "Cu");
  assertRelClose(airKermaBehind(s, "Cu", h) / airKermaBehind(s, "Cu", 0), 0.5, 1e-5, "kerma ratio behind the Cu HVL");
});

test("W K lines (K-alpha1 59.32 keV) appear only above the K edge, 69.525 kV", () => {
  const below = tubeSpectrum({ anode: "W", kVp: 69 });
  assert.ok(below.lines.every((l) => !l.name.includes("K")), "no K lines at 69 kV");
  const above = tubeSpectrum({ anode: "W", kVp: 80, filters: [{ material: "Al", thicknessM: 2.5e-3 }] });
  const ka1 = above.lines.find((l) => l.name.includes("Ka1"))!;
  assert.is(ka1.energyKeV, 59.3182);
  assert.ok(ka1.photons > 0);
  const i = above.energyKeV.findIndex((_, j) => above.edgesKeV[j]! <= 59.3182 && 59.3182 < above.edgesKeV[j + 1]!);
  assert.ok(above.photons[i]! > 2 * above.photons[i - 2]!, "K-alpha1 stands out of the continuum");
  assertRelClose(above.photons[i]! - above.continuum[i]!, ka1.photons, 1e-9, "line photons in its bin");
  // W L lines: present (unfiltered) below the K edge too.
  const soft = tubeSpectrum({ anode: "W", kVp: 40, windowBeMm: 0 });
  assert.ok(soft.lines.some((l) => l.name.includes("La1") && l.photons > 0));
});

test("K-alpha1 of every anode sits at its xraylib/Deslattes energy, only above its K edge", () => {
  const expected: Record<AnodeElement, number> = { W: 59.3182, Mo: 17.4793, Cu: 8.0478, Ag: 22.1629 };
  for (const anode of Object.keys(expected) as AnodeElement[]) {
    const edge = ANODES[anode].kEdgeKeV;
    const on = tubeSpectrum({ anode, kVp: Math.max(20, Math.ceil(edge) + 10) });
    assert.is(on.lines.find((l) => l.name.includes("Ka1"))!.energyKeV, expected[anode]);
    if (edge > 20) {
      const off = tubeSpectrum({ anode, kVp: 20 });
      assert.ok(!off.lines.some((l) => l.name.includes("K")), `${anode}: no K lines below ${edge} kV`);
    }
  }
});

test("normalisation to a total and input checks", () => {
  const s = tubeSpectrum({ anode: "Cu", kVp: 40, totalPhotons: 1e6 });
  assert.is(s.units, "normalised");
  assertRelClose(s.photons.reduce((a, b) => a + b, 0), 1e6, 1e-12, "total photons");
  assert.throws(() => tubeSpectrum({ anode: "W", kVp: 10 }), /kVp/);
  assert.throws(() => tubeSpectrum({ anode: "W", kVp: 200 }), /kVp/);
  assert.throws(() => tubeSpectrum({ anode: "Rh" as AnodeElement, kVp: 30 }), /anode/);
  assert.throws(() => tubeSpectrum({ anode: "W", kVp: 60, filters: [{ material: "Al", thicknessM: -1 }] }), /thickness/);
});

// IEC 61267:2005 RQR radiation qualities (W anode, beam from the tube assembly): first HVL
// in mm Al. Two-decimal values as tabulated by IEC 61267:2005 Table 2; the same values
// rounded to 0.1 mm are published by RRPPS (University Hospitals Birmingham),
// https://www.uhb.nhs.uk/rrpps-x-ray-radiation-qualities-n.htm (RQR2 1.4, RQR3 1.8, RQR4 2.2,
// RQR5 2.6, RQR6 3.0, RQR7 3.5, RQR8 4.0, RQR9 5.0, RQR10 6.6). The standard sets the
// tube's total filtration so that RQR5 is met (typically ~2.5 mm Al); we model 2.5 mm Al
// total at a 12 deg take-off angle. ANODE_DEPTH_FACTOR was chosen against this trend, so
// this is a one-parameter fit check; the tolerance (10 %) reflects the model, not the fit
// (the residuals are within 6 %).
const RQR: [string, number, number][] = [
  ["RQR2", 40, 1.42],
  ["RQR3", 50, 1.78],
  ["RQR4", 60, 2.19],
  ["RQR5", 70, 2.58],
  ["RQR6", 80, 3.01],
  ["RQR7", 90, 3.48],
  ["RQR8", 100, 3.97],
  ["RQR9", 120, 5.0],
  ["RQR10", 150, 6.57],
];

test("W anode + 2.5 mm Al reproduces the IEC 61267 RQR first HVLs within 10 %", () => {
  for (const [name, kVp, hvlMm] of RQR) {
    const s = tubeSpectrum({ anode: "W", kVp, takeOffAngleDeg: 12, windowBeMm: 0, filters: [{ material: "Al", thicknessM: 2.5e-3 }] });
    assertRelClose(halfValueLayer(s, "Al") * 1e3, hvlMm, 0.1, `${name} (${kVp} kV) HVL mm Al`);
  }
});

test.run();
