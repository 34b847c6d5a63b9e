/** Beam damage fed back during a scan: projections -> dose -> heat -> bubbles -> sample. */
import { lastValueFrom, toArray } from "rxjs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { FrameEvent, SimEvent } from "../../src/engine/events.js";
import { validateScenario } from "../../src/engine/scenario.js";
import { simulate } from "../../src/engine/simulate.js";
import { planTolerance } from "../../src/planning/tolerance.js";

const raw = (photonsPerPixel: number, damage: boolean, radiolysis = false, dose = false) => ({
  name: "boil",
  seed: 4,
  sample: {
    voxelSize: "1 um",
    shape: [16, 16, 16],
    background: "LP30",
    objects: [{ type: "sphere", material: "NMC811", center: ["0 um", "0 um", "0 um"], radius: "5 um" }],
  },
  beam: { energy: "17 keV", photonsPerPixel },
  geometry: { type: "parallel", angles: 6, range: "180 deg" },
  detector: { cols: 16, rows: 16, pixelSize: "1 um", noise: false },
  scan: { exposure: "0.5 s", flats: 1, darks: 0, ...(dose ? { dose: true } : {}) },
  thermal: { ambient: "295 K", coarsen: 2, surroundings: [{ material: "Kapton", thickness: "4 um" }], convection: "100 W/(m^2 K)" },
  ...(damage ? { damage: { bubbles: true, radiolysis } } : {}),
});

async function run(photons: number, damage: boolean, radiolysis = false, dose = false): Promise<SimEvent[]> {
  return lastValueFrom(simulate(validateScenario(raw(photons, damage, radiolysis, dose))).pipe(toArray()));
}

test("below the boiling point nothing changes; above it bubbles appear and the next projections see them", async () => {
  // The steady rise at 1e6 photons per pixel sets the scale (as xtwin plan computes it).
  const rise = planTolerance(validateScenario(raw(1e6, false)), { maxTemperatureRiseK: 10, doseBudgetGy: 1e9 }, { samples: 2 }).peakTemperatureRiseK!;
  const cool = 1e6 * (0.5 * 68) / rise; // steady rise 34 K: LP30 (DMC) boils 68 K above 295 K
  const hot = 1e6 * (3 * 68) / rise; // 204 K above ambient

  const quiet = await run(cool, true);
  const damageEvents = quiet.filter((e): e is Extract<SimEvent, { type: "damage" }> => e.type === "damage");
  assert.is(damageEvents.length, 6, "one damage step per angle");
  assert.ok(damageEvents.every((e) => e.bubbles.length === 0), "no bubble below the threshold");
  assert.ok(damageEvents[5]!.peakTemperatureK > 295 + 20 && damageEvents[5]!.peakTemperatureK < 363, `peak ${damageEvents[5]!.peakTemperatureK} K`);

  const withDamage = await run(hot, true);
  const without = await run(hot, false);
  const bubbles = withDamage.flatMap((e) => (e.type === "damage" ? e.bubbles : []));
  assert.ok(bubbles.length > 0 && bubbles[0]!.kind === "nucleated" && bubbles[0]!.cause === "boiling", JSON.stringify(bubbles[0]));
  const first = withDamage.find((e): e is Extract<SimEvent, { type: "damage" }> => e.type === "damage" && e.bubbles.length > 0)!;
  const frames = (evs: SimEvent[]) => evs.filter((e): e is FrameEvent => e.type === "projection");
  const a = frames(withDamage), b = frames(without);
  // Projections up to the one whose exposure made the bubble are identical; later ones see gas where electrolyte was.
  for (let p = 0; p <= first.index; p++) assert.equal(Array.from(a[p]!.counts), Array.from(b[p]!.counts), `projection ${p}`);
  let brighter = 0;
  const last = a.length - 1;
  for (let i = 0; i < a[last]!.counts.length; i++) if (a[last]!.counts[i]! > b[last]!.counts[i]! * (1 + 1e-6)) brighter++;
  assert.ok(brighter > 0, "gas absorbs less than the electrolyte it replaced");
});

test("radiolysis: at tens of kGy radiolytic gas passes its solubility and nucleates bubbles without boiling", async () => {
  const rise = planTolerance(validateScenario(raw(1e6, false)), { maxTemperatureRiseK: 10, doseBudgetGy: 1e9 }, { samples: 2 }).peakTemperatureRiseK!;
  // A 34 K rise: no boiling, but about 1e4 Gy per projection in the electrolyte, past the
  // saturation dose of the default yield and solubility (about 2e4 Gy).
  const events = await run((1e6 * 34) / rise, true, true);
  const bubbles = events.flatMap((e) => (e.type === "damage" ? e.bubbles : []));
  assert.ok(bubbles.some((b) => b.cause === "radiolysis"), "radiolytic bubbles");
  assert.ok(bubbles.every((b) => b.cause === "radiolysis"), "no boiling at this flux");
});

test("dose with damage: the bubble gas class joins mid-scan and the deposited energy follows the changed sample", async () => {
  const rise = planTolerance(validateScenario(raw(1e6, false)), { maxTemperatureRiseK: 10, doseBudgetGy: 1e9 }, { samples: 2 }).peakTemperatureRiseK!;
  const hot = 1e6 * (3 * 68) / rise;
  const withDamage = await run(hot, true, false, true);
  const without = await run(hot, false, false, true);
  const doses = (evs: SimEvent[]) => evs.filter((e): e is Extract<SimEvent, { type: "dose" }> => e.type === "dose");
  const a = doses(withDamage), b = doses(without);
  assert.is(a.length, 6);
  const first = withDamage.find((e): e is Extract<SimEvent, { type: "damage" }> => e.type === "damage" && e.bubbles.length > 0)!;
  assert.ok(first !== undefined && first.index < 5, "bubbles before the last projection");
  // Up to the exposure that made the first bubble the sample is the same, and so is the energy it absorbed.
  for (let p = 0; p <= first.index; p++) assert.is(a[p]!.totalDepositedJ, b[p]!.totalDepositedJ, `projection ${p}`);
  // Afterwards gas replaced electrolyte: less absorbed.
  assert.ok(a[5]!.totalDepositedJ < b[5]!.totalDepositedJ, `${a[5]!.totalDepositedJ} < ${b[5]!.totalDepositedJ}`);
});

test("damage needs the thermal section and an absorption scan", () => {
  const r = raw(1e6, true) as Record<string, any>;
  delete r.thermal;
  assert.throws(() => validateScenario(r), /damage: bubbles need the thermal section/);
  assert.throws(() => validateScenario({ ...raw(1e6, true), detector: { cols: 16, rows: 16, pixelSize: "1 um", distance: "10 mm" } }), /damage: beam damage is fed back in absorption scans only/);
});

test.run();
