/**
 * Figure 4b of the report: the sample's peak temperature over the beam-on time.
 *
 * - From damage.json (a run with `damage`): the hottest sample cell after the exposures of
 *   each projection, as the damage loop found it (src/engine/damageLoop.ts). The loop heats
 *   the sample only while the beam is on, so projection p ends at a beam-on time of
 *   (p + 1) x exposure x distances.
 * - Else, when the scenario has a `thermal` section, from the project's heat solver
 *   (src/thermal/): the scan's mean absorbed power (dose x mass / beam-on time, the dose of
 *   doseFigure.ts) coarsened to the thermal grid and embedded in the scenario's
 *   surroundings and boundaries, stepped from the ambient temperature with implicit steps
 *   growing 1.5x from 1 us (as `xtwin plan` finds the first bubble) up to the beam-on time.
 * - Otherwise there is no thermal model, and the section says so.
 */
import type { Scenario } from "../engine/scenario.js";
import type { Material } from "../materials/library.js";
import type { LabelledVolume } from "../phantoms/scene.js";
import { thermalBoundaries } from "../planning/tolerance.js";
import { embedField, embedInDomain } from "../thermal/domain.js";
import { HeatSolver } from "../thermal/heatSolver.js";
import { coarsenPower, thermalProperties } from "../thermal/thermalGrid.js";
import type { RunDose } from "./doseFigure.js";
import type { TemperatureFigure } from "./figureTypes.js";

/** damage.json as runWriter.ts writes it. */
export interface DamageRecord {
  readonly peakTemperatureK: readonly number[];
  readonly bubbles: readonly unknown[];
}

export function parseDamageRecord(text: string, path: string): DamageRecord {
  const d = JSON.parse(text) as Partial<DamageRecord>;
  if (!Array.isArray(d.peakTemperatureK) || !d.peakTemperatureK.every((t) => typeof t === "number" && Number.isFinite(t))) {
    throw new RangeError(`${path}: peakTemperatureK must be a list of temperatures in K`);
  }
  return { peakTemperatureK: d.peakTemperatureK, bubbles: Array.isArray(d.bubbles) ? d.bubbles : [] };
}

/** The damage loop's record on the beam-on time axis (module comment). */
export function temperatureFromDamage(d: DamageRecord, exposureS: number, distances: number, ambientK: number | null): TemperatureFigure {
  if (!(exposureS > 0)) throw new RangeError(`exposure must be a positive number of seconds, got ${exposureS}`);
  const perAngle = exposureS * distances;
  return {
    status: "ok",
    source: "damage.json: the hottest sample cell after each projection (the scan's own damage loop)",
    timeS: d.peakTemperatureK.map((_, p) => (p + 1) * perAngle),
    peakK: [...d.peakTemperatureK],
    ambientK,
    bubbles: d.bubbles.length,
  };
}

/** Most time steps of the transient (1.5x growth from 1 us spans 1e-6 .. 1e10 s in 90). */
const MAX_STEPS = 120;

/** The heat solver's transient for the scan's mean power (module comment). */
export function temperatureFromSolver(s: Scenario, volume: LabelledVolume, classMaterials: readonly Material[], dose: RunDose): TemperatureFigure {
  const t = s.thermal;
  if (t === undefined) throw new RangeError("temperature: the scenario has no thermal section");
  const { grid } = dose;
  const props = thermalProperties(volume.labels, grid, classMaterials as Material[], t.coarsen);
  const n = dose.planned.doseGy.length;
  const powerW = new Float64Array(n);
  const beamOn = dose.planned.beamOnTimeS;
  for (let v = 0; v < n; v++) powerW[v] = (dose.planned.doseGy[v]! * dose.massKg[v]!) / beamOn;
  const domain = embedInDomain(props.grid, props, t.surroundings.map((l) => ({ material: l.material, thicknessM: l.thicknessM, faces: "all" as const })));
  const power = embedField(domain, coarsenPower(powerW, grid, t.coarsen), 0);
  const solver = new HeatSolver(domain.grid, domain.properties, thermalBoundaries(s), t.ambientK, { tolerance: 1e-8 });
  const timeS: number[] = [0];
  const peakK: number[] = [t.ambientK];
  let dt = 1e-6;
  for (let k = 0; k < MAX_STEPS && solver.timeS < beamOn * (1 - 1e-12); k++) {
    solver.step(Math.min(dt, beamOn - solver.timeS), power);
    let max = -Infinity;
    for (const c of domain.sampleCells) if (solver.temperatureK[c]! > max) max = solver.temperatureK[c]!;
    timeS.push(solver.timeS);
    peakK.push(max);
    dt *= 1.5;
  }
  return {
    status: "ok",
    source: `heat solver: the scan's mean absorbed power (${sumOf(powerW).toPrecision(3)} W) on for ${beamOn.toPrecision(3)} s, from ${t.ambientK.toFixed(2)} K`,
    timeS,
    peakK,
    ambientK: t.ambientK,
    bubbles: 0,
  };
}

function sumOf(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s;
}
