/** Recipes to microstructures: the targets a battery scientist checks, and determinism. */
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import h5wasm from "h5wasm/node";
import { generatePhantom } from "../../../src/phantoms/microstructure/generate.js";
import { parseRecipe, validateRecipe } from "../../../src/phantoms/recipe.js";
import { REPO_ROOT } from "../../helpers.js";

const recipe = () =>
  validateRecipe({
    name: "small-cathode",
    voxelSize: "0.5 um",
    shape: [96, 96, 72],
    top: "LP30",
    layers: [
      { type: "foil", material: "aluminium", thickness: "4 um" },
      {
        type: "electrode",
        thickness: "30 um",
        pore: "LP30",
        particles: [{ material: "NMC811", volumeFraction: 0.55, d50: "6 um", span: 0.8, grainSize: "2 um" }],
        cbd: { material: "CBD", volumeFraction: 0.1 },
      },
    ],
  });

test("volume fractions within 0.01 of the recipe, D50 within 5%", () => {
  const g = generatePhantom(recipe(), { seed: 3, tortuosity: false });
  const e = g.electrodes[0]!;
  assert.ok(Math.abs(e.stats.volumeFractions.NMC811! - 0.55) < 0.01, `NMC811 ${e.stats.volumeFractions.NMC811}`);
  assert.ok(Math.abs(e.stats.volumeFractions.CBD! - 0.1) < 0.01, `CBD ${e.stats.volumeFractions.CBD}`);
  assert.ok(Math.abs(e.stats.porosity - 0.35) < 0.015, `porosity ${e.stats.porosity}`);
  assert.ok(Math.abs(e.stats.d50M / 6e-6 - 1) < 0.05, `D50 ${e.stats.d50M}`);
  assert.ok(e.maxOverlap <= 0.02, `max overlap ${e.maxOverlap}`);
  // Every particle has a record, and grains are numbered inside their particle.
  const ms = g.microstructure;
  assert.is(ms.particles.length, e.particles);
  let maxInstance = 0;
  for (const id of ms.instances) if (id > maxInstance) maxInstance = id;
  assert.ok(maxInstance <= ms.particles.length);
  // The foil is where the recipe puts it: the bottom 8 voxel layers are aluminium.
  const al = ms.classNames.indexOf("aluminium");
  for (let k = 0; k < 8; k++) assert.is(ms.labels[96 * 96 * k + 4000], al, `layer ${k}`);
});

test("same recipe and seed: identical volumes; another seed differs", () => {
  const hash = (seed: number) => {
    const ms = generatePhantom(recipe(), { seed, tortuosity: false }).microstructure;
    return createHash("sha256").update(ms.labels).update(new Uint8Array(ms.instances.buffer)).update(ms.localGrains).digest("hex");
  };
  assert.is(hash(5), hash(5));
  assert.is.not(hash(5), hash(6));
});

test("defects switch on: impurities, agglomerates, cracked particles, separator pinholes", () => {
  const src = JSON.parse(JSON.stringify(recipe().source)) as { shape: number[]; layers: Record<string, unknown>[] };
  const electrode = src.layers[1]!;
  electrode.impurities = [{ material: "Fe", count: 2, diameter: "3 um" }];
  electrode.agglomerates = { count: 1, particles: 8, d50: "2 um" };
  (electrode.particles as Record<string, unknown>[])[0]!.crackedFraction = 0.2;
  src.shape[2] = 80;
  src.layers.push({ type: "separator", material: "PE-separator", thickness: "4 um", pinholes: { count: 3, diameter: "2 um" } });
  const g = generatePhantom(validateRecipe(src), { seed: 4, tortuosity: false });
  const ps = g.microstructure.particles;
  assert.is(ps.filter((p) => p.kind === "impurity" && p.material === "Fe").length, 2);
  assert.ok(ps.filter((p) => p.cracked).length > 0);
  assert.is(new Set(ps.filter((p) => p.agglomerate > 0).map((p) => p.agglomerate)).size, 1);
  // Pinholes: electrolyte voxels inside the separator layer.
  const ms = g.microstructure;
  const sep = g.layers.find((l) => l.type === "separator")!.range;
  const lp30 = ms.classNames.indexOf("LP30");
  let holes = 0;
  for (let v = 96 * 96 * sep.k0; v < 96 * 96 * sep.k1; v++) if (ms.labels[v] === lp30) holes++;
  assert.ok(holes > 0, "pinholes through the separator");
});

test("every shipped recipe validates", () => {
  for (const f of readdirSync(REPO_ROOT + "phantoms").filter((n) => n.endsWith(".yaml"))) {
    const r = parseRecipe(readFileSync(REPO_ROOT + "phantoms/" + f, "utf8"), f);
    assert.ok(r.layers.length > 0, f);
  }
});

test("recipe errors name the path and what is allowed", () => {
  assert.throws(() => validateRecipe({ ...recipe().source as object, voxelSize: "1" }), /voxelSize: expected a length such as "100 um", got "1"/);
  const bad = JSON.parse(JSON.stringify(recipe().source)) as { layers: { particles?: { volumeFraction: number }[] }[] };
  bad.layers[1]!.particles![0]!.volumeFraction = 0.85;
  assert.throws(() => validateRecipe(bad), /layers\[1\]: particles, CBD and voids fill 0.950 of the layer; at most 0.9 can be packed/);
  assert.throws(() => validateRecipe({ ...recipe().source as object, shape: [96, 96, 10] }), /the stack is 34 um thick but shape\[2\] x voxelSize is only 5 um/);
});

test("xtwin phantom writes phantom.h5 (labels, instances, grains), particles.csv, stats.json and previews", async () => {
  const dir = mkdtempSync(join(tmpdir(), "xtwin-phantom-"));
  const r = spawnSync(
    process.execPath,
    [REPO_ROOT + "dist/src/cli/main.js", "phantom", REPO_ROOT + "phantoms/solid-state-cathode.yaml", "--out", dir, "--shape", "64,64,128", "--seed", "2"],
    { encoding: "utf8" },
  );
  assert.is(r.status, 0, r.stderr);
  for (const f of ["phantom.h5", "particles.csv", "stats.json", "preview-xy.png", "preview-xz.png", "preview-yz.png"]) {
    assert.ok(existsSync(join(dir, f)), f);
  }
  const stats = JSON.parse(readFileSync(join(dir, "stats.json"), "utf8")) as Record<string, unknown>;
  for (const key of ["volumeFractions", "porosity", "d50M", "specificSurfaceM2perM3", "tortuosity"]) assert.ok(key in stats, key);
  assert.ok(typeof stats.tortuosity === "number" && stats.tortuosity > 1, `tortuosity ${String(stats.tortuosity)}`);
  const csv = readFileSync(join(dir, "particles.csv"), "utf8").trim().split("\n");
  assert.match(csv[0]!, /^id,material,kind,x_m,y_m,z_m,a_m,b_m,c_m,equivalent_diameter_m/);
  await h5wasm.ready;
  const f = new h5wasm.File(join(dir, "phantom.h5"), "r");
  try {
    const labels = f.get("truth/labels") as InstanceType<typeof h5wasm.Dataset>;
    assert.equal(labels.shape, [128, 64, 64]);
    assert.equal(JSON.parse(String(labels.attrs.classNames!.value)), ["LPSCl", "aluminium", "NMC811", "air"]);
    const instances = (f.get("truth/instances") as InstanceType<typeof h5wasm.Dataset>).value as Uint32Array;
    const grains = (f.get("truth/grains") as InstanceType<typeof h5wasm.Dataset>).value as Uint32Array;
    let particles = 0;
    let grainVoxels = 0;
    for (let v = 0; v < instances.length; v++) {
      if (instances[v]! > particles) particles = instances[v]!;
      if (grains[v]! > 0) {
        grainVoxels++;
        assert.ok(instances[v]! > 0, "a grain lies inside a particle");
      }
    }
    assert.is(particles, csv.length - 1);
    assert.ok(grainVoxels > 0);
  } finally {
    f.close();
  }
});

test.run();
