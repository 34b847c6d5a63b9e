/** scan.dose with a tube spectrum: deposited energy per projection, bin by bin. */
import { lastValueFrom, toArray } from "rxjs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { SimEvent } from "../../src/engine/events.js";
import { validateScenario } from "../../src/engine/scenario.js";
import { simulate } from "../../src/engine/simulate.js";

const raw = (photonsPerPixel: number) => ({
  name: "tube-dose",
  seed: 1,
  sample: {
    voxelSize: "5 um",
    shape: [12, 12, 4],
    background: "air",
    objects: [{ type: "cylinder", material: "graphite", center: ["0 um", "0 um", "0 um"], radius: "20 um", height: "20 um", axis: "z" }],
  },
  beam: { spectrum: { anode: "W", voltage: "40 kV", filters: [{ material: "Al", thickness: "0.5 mm" }] }, photonsPerPixel },
  geometry: { type: "parallel", angles: 3, range: "180 deg" },
  detector: { cols: 12, rows: 4, pixelSize: "5 um", noise: false },
  scan: { flats: 1, darks: 0, dose: true },
});

async function doses(photons: number): Promise<Array<Extract<SimEvent, { type: "dose" }>>> {
  const events = await lastValueFrom(simulate(validateScenario(raw(photons))).pipe(toArray()));
  return events.filter((e): e is Extract<SimEvent, { type: "dose" }> => e.type === "dose");
}

test("a tube spectrum deposits energy bin by bin: voxel sum = total, less than removed from the beam, linear in the photons", async () => {
  const a = await doses(1e4);
  const b = await doses(2e4);
  assert.is(a.length, 3);
  for (const d of a) {
    let sum = 0;
    for (const v of d.depositedJ) sum += v;
    assert.ok(Math.abs(sum / d.totalDepositedJ - 1) < 1e-4, `voxel sum ${sum} vs ${d.totalDepositedJ}`);
    // mu_en < mu: photons removed from the beam carry more energy than they leave.
    assert.ok(d.totalDepositedJ > 0 && d.totalDepositedJ < d.incidentJ - d.transmittedJ, `${d.totalDepositedJ} J`);
  }
  a.forEach((d, p) => assert.ok(Math.abs(b[p]!.totalDepositedJ / d.totalDepositedJ - 2) < 1e-9, "twice the photons, twice the energy"));
});

test.run();
