import { test } from "uvu";
import * as assert from "uvu/assert";
import { BubbleModel } from "../../src/damage/bubbles.js";
import { GAS_CONSTANT_J_PER_MOL_K, ATMOSPHERE_PA } from "../../src/damage/solventData.js";
import { electrolyteWithSlab, gasVoxelVolume } from "./fixtures.js";

const N = 32;
const S = 1e-6;
const V_VOX = S ** 3;

/** 300 K everywhere, `peakK` at voxel (12, 12, 12) and `hotK` within 3 voxels of it. */
function hotSpot(hotK: number, peakK: number, radiusVoxels = 3): { T: Float64Array; hotCount: number } {
  const T = new Float64Array(N * N * N).fill(300);
  let hotCount = 0;
  for (let k = 0; k < N; k++) for (let j = 0; j < N; j++) for (let i = 0; i < N; i++) {
    const d2 = (i - 12) ** 2 + (j - 12) ** 2 + (k - 12) ** 2;
    if (d2 <= radiusVoxels ** 2) {
      T[i + N * (j + N * k)] = d2 === 0 ? peakK : hotK;
      hotCount++;
    }
  }
  return { T, hotCount };
}

test("no bubble below the boiling threshold (LP30: DMC's 363.15 K), one above with V = n R T / p = the superheated volume", () => {
  const cold = electrolyteWithSlab(N, S, 24);
  const coldLabels = cold.labels.slice();
  const coldModel = new BubbleModel(cold, { electrolyteClasses: ["LP30"], seed: 1, radiolysis: false });
  assert.equal(coldModel.update(hotSpot(362, 363.1).T, null, 0.1), []);
  assert.is(coldModel.bubbles.length, 0);
  assert.equal(cold.labels, coldLabels);

  const vol = electrolyteWithSlab(N, S, 24);
  const model = new BubbleModel(vol, { electrolyteClasses: ["LP30"], seed: 1, radiolysis: false });
  const { T, hotCount } = hotSpot(370, 380);
  const events = model.update(T, null, 0.1);
  assert.is(events.length, 1);
  const e = events[0]!;
  assert.is(e.kind, "nucleated");
  assert.is(e.cause, "boiling");
  assert.equal(e.centerVoxel, [12, 12, 12], "nucleates at the hottest voxel");
  const b = model.bubbles[0]!;
  assert.is(b.nucleatedAtS, 0.1);
  // n = p V_hot / (R T_site), V = n R T_site / p: the bubble is the superheated volume.
  const nExpected = (ATMOSPHERE_PA * hotCount * V_VOX) / (GAS_CONSTANT_J_PER_MOL_K * 380);
  assert.ok(Math.abs(b.vapourMol / nExpected - 1) < 1e-12, `vapour ${b.vapourMol} mol vs ${nExpected}`);
  const V = (4 / 3) * Math.PI * b.radiusM ** 3;
  assert.ok(Math.abs(V / (hotCount * V_VOX) - 1) < 1e-12, `bubble volume ${V} vs superheated volume ${hotCount * V_VOX}`);
  const stored = gasVoxelVolume(vol, model.gasLabel);
  assert.ok(Math.abs(stored / hotCount - 1) < 0.03, `stored gas ${stored} voxels vs ${hotCount}`);
  assert.ok(Math.abs(e.gasVolumeAddedM3 / V_VOX - stored) < 1e-6 * stored);

  // Same temperatures again: the bubble already fills the superheated fluid, nothing grows.
  assert.equal(model.update(T, null, 0.1), []);
  // A larger hot zone: the same bubble grows (one region, no second bubble).
  const wider = hotSpot(370, 380, 3.8);
  const grown = model.update(wider.T, null, 0.1);
  assert.is(model.bubbles.length, 1);
  assert.is(grown.length, 1);
  assert.is(grown[0]!.kind, "grown");
  assert.ok(Math.abs((4 / 3) * Math.PI * model.bubbles[0]!.radiusM ** 3 / (wider.hotCount * V_VOX) - 1) < 1e-12);
});

test("the gas class is appended to classNames and its label used; particle voxels stay unchanged", () => {
  const vol = electrolyteWithSlab(N, S, 14);
  const before = vol.labels.slice();
  const model = new BubbleModel(vol, { electrolyteClasses: ["LP30"], seed: 3, radiolysis: false });
  assert.equal(vol.classNames, ["LP30", "NMC811", "gas"]);
  assert.is(model.gasLabel, 2);
  model.update(hotSpot(370, 380, 4).T, null, 0.1);
  let gasVoxels = 0;
  for (let v = 0; v < before.length; v++) {
    if (vol.labels[v] === 2) gasVoxels++;
    if (before[v] === 1) assert.is(vol.labels[v], 1, `particle voxel ${v} kept`);
  }
  assert.ok(gasVoxels > 100, `${gasVoxels} gas voxels`);
  // An existing class of that name is reused, not duplicated.
  const again = new BubbleModel(vol, { electrolyteClasses: ["LP30"], seed: 3 });
  assert.is(again.gasLabel, 2);
  assert.is(vol.classNames.length, 3);
});

// Radiolysis: with G = 2e-7 mol/J, c_sat = 5 mol/m^3 and rho(LP30) = 1300 kg/m^3 the
// dissolved gas reaches saturation at D* = c_sat / (G rho) = 19 230.8 Gy.
const RADIOLYSIS = { gasYieldMolPerJ: 2e-7, solubilityMolPerM3: 5 };
const D_STAR = 5 / (2e-7 * 1300);
const REGION_V = 8 ** 3 * V_VOX;

function uniformDose(gy: number): Float64Array {
  return new Float64Array(N * N * N).fill(gy);
}

test("radiolysis: no bubble below the solubility, one per region above it holding the excess gas", () => {
  const below = new BubbleModel(electrolyteWithSlab(N, S), { electrolyteClasses: ["LP30"], seed: 7, radiolysis: RADIOLYSIS });
  assert.equal(below.update(null, uniformDose(0.99 * D_STAR), 1), []);
  assert.ok(Math.abs(below.dissolvedGasMol[0]! / (0.99 * 5 * REGION_V) - 1) < 1e-12, "dissolved gas = G E");

  const above = new BubbleModel(electrolyteWithSlab(N, S), { electrolyteClasses: ["LP30"], seed: 7, radiolysis: RADIOLYSIS });
  const events = above.update(null, uniformDose(1.01 * D_STAR), 1);
  assert.is(events.length, 64, "one bubble in each of the 4 x 4 x 4 regions");
  for (const b of above.bubbles) {
    assert.is(b.cause, "radiolysis");
    assert.ok(Math.abs(b.radiolyticMol / (0.01 * 5 * REGION_V) - 1) < 1e-9, `excess ${b.radiolyticMol} mol`);
    // V = n R T / p at the ambient 298.15 K.
    const V = (b.radiolyticMol * GAS_CONSTANT_J_PER_MOL_K * 298.15) / ATMOSPHERE_PA;
    assert.ok(Math.abs((4 / 3) * Math.PI * b.radiusM ** 3 / V - 1) < 1e-12);
  }
  assert.ok(Math.abs(above.dissolvedGasMol[5]! / (5 * REGION_V) - 1) < 1e-12, "the rest stays dissolved at saturation");

  // Dose accumulates: 0.6 D* then 0.6 D* nucleates on the second step.
  const twoSteps = new BubbleModel(electrolyteWithSlab(N, S), { electrolyteClasses: ["LP30"], seed: 7, radiolysis: RADIOLYSIS });
  assert.is(twoSteps.update(null, uniformDose(0.6 * D_STAR), 1).length, 0);
  assert.is(twoSteps.update(null, uniformDose(0.6 * D_STAR), 1).length, 64);
  assert.is(twoSteps.bubbles[0]!.nucleatedAtS, 2);
});

test("deterministic with a seed: same seed, same bubbles and labels; another seed, other sites", () => {
  const run = (seed: number) => {
    const vol = electrolyteWithSlab(N, S, 20);
    const model = new BubbleModel(vol, { electrolyteClasses: ["LP30"], seed, radiolysis: RADIOLYSIS });
    const dose = new Float64Array(N * N * N);
    for (let v = 0; v < dose.length; v++) dose[v] = (1.5 + Math.sin(v)) * D_STAR; // uneven, no randomness
    model.update(hotSpot(370, 380).T, dose, 0.5);
    model.update(null, dose, 0.5);
    return { vol, model };
  };
  const a = run(11), b = run(11), c = run(12);
  assert.equal(a.model.bubbles, b.model.bubbles);
  assert.equal(a.vol.labels, b.vol.labels);
  assert.equal(a.vol.primaryFraction, b.vol.primaryFraction);
  assert.ok(a.model.bubbles.some((x) => x.cause === "boiling") && a.model.bubbles.some((x) => x.cause === "radiolysis"));
  assert.ok(a.model.bubbles.some((x, q) => x.centerVoxel.join() !== c.model.bubbles[q]!.centerVoxel.join()), "another seed moves radiolytic sites");
});

test("bad input is a RangeError", () => {
  const vol = electrolyteWithSlab(8, S);
  assert.throws(() => new BubbleModel(vol, { electrolyteClasses: ["PVDF"], seed: 1 }), /not in the volume/);
  assert.throws(() => new BubbleModel(vol, { electrolyteClasses: ["NMC811"], seed: 1 }), /not a known liquid electrolyte/);
  assert.throws(() => new BubbleModel(vol, { electrolyteClasses: [], seed: 1 }), RangeError);
  const m = new BubbleModel(vol, { electrolyteClasses: ["LP30"], seed: 1 });
  assert.throws(() => m.update(new Float64Array(7), null, 1), /temperature map/);
  assert.throws(() => m.update(null, null, -1), /time step/);
});

test.run();
