import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseScenario, ScenarioError, validateScenario } from "../../src/engine/scenario.js";
import { REPO_ROOT } from "../helpers.js";

const demoText = readFileSync(REPO_ROOT + "scenarios/demo.yaml", "utf8");

test("the demo scenario parses into SI units", () => {
  const s = parseScenario(demoText, "scenarios/demo.yaml");
  assert.is(s.name, "demo");
  assert.is(s.seed, 42);
  assert.ok(Math.abs(s.sample.voxelSizeM - 1e-6) < 1e-18);
  assert.equal(s.sample.shape, [128, 128, 128]);
  assert.is(s.beam.energyKeV, 20);
  assert.is(s.beam.photonsPerPixel, 1e4);
  assert.ok(Math.abs(s.geometry.rangeRad - Math.PI) < 1e-12);
  const cyl = s.sample.objects[0]!;
  assert.is(cyl.type, "cylinder");
  if (cyl.type === "cylinder") {
    assert.ok(Math.abs(cyl.radius - 40e-6) < 1e-18);
    assert.equal(cyl.axis, [0, 0, 1]);
  }
  assert.is(s.sample.objectMaterials[1]!.name, "NMC811");
  assert.is(s.sample.background.name, "air");
  assert.equal(s.scan, { flats: 10, darks: 10, exposureS: 1, dose: false, flatsAt: "before" });
});

const base = () => ({
  name: "t",
  seed: 1,
  sample: { voxelSize: "1 um", shape: [8, 8, 8], background: "air", objects: [{ type: "sphere", material: "Al", center: ["0 um", "0 um", "0 um"], radius: "3 um" }] },
  beam: { energy: "20 keV", photonsPerPixel: 1000 },
  geometry: { type: "parallel", angles: 4, range: "180 deg" },
  detector: { cols: 8, rows: 8, pixelSize: "1 um" },
});

function problemsOf(mutate: (s: ReturnType<typeof base>) => void): string[] {
  const s = base() as Record<string, any>;
  mutate(s as ReturnType<typeof base>);
  try {
    validateScenario(s, "t.yaml");
  } catch (e) {
    assert.instance(e, ScenarioError);
    return [...(e as ScenarioError).problems];
  }
  assert.unreachable("should not validate");
  return [];
}

const cases: [string, (s: any) => void, RegExp][] = [
  ["wrong unit", (s) => (s.beam.energy = "20 kg"), /^beam\.energy: expected an energy such as "20 keV", got "20 kg"$/],
  ["energy out of range", (s) => (s.beam.energy = "500 keV"), /^beam\.energy: must be between 1 and 200 keV, got 500 keV$/],
  ["length without unit", (s) => (s.sample.voxelSize = "1"), /^sample\.voxelSize: expected a length such as "100 um", got "1"$/],
  ["negative radius", (s) => (s.sample.objects[0].radius = "-3 um"), /^sample\.objects\[0\]\.radius: must be positive/],
  ["unknown object type", (s) => (s.sample.objects[0].type = "cube"), /^sample\.objects\[0\]\.type: expected one of "sphere", .*got "cube"$/],
  ["unknown material", (s) => (s.sample.objects[0].material = "Unobtainium"), /^sample\.objects\[0\]\.material: unknown material "Unobtainium"/],
  ["formula without density", (s) => (s.sample.background = "LiNiO2"), /^sample\.background: .*needs a density/],
  ["shape not three numbers", (s) => (s.sample.shape = [8, 8]), /^sample\.shape: /],
  ["shape not whole", (s) => (s.sample.shape = [8, 8.5, 8]), /^sample\.shape\[1\]: expected ny \(a whole number\)/],
  ["unknown key (typo)", (s) => (s.beam.energie = "20 keV"), /^beam: unknown key "energie"$/],
  ["missing section", (s) => delete s.detector, /^detector: /],
  ["bad geometry type", (s) => (s.geometry.type = "fan"), /^geometry\.type: expected "parallel"/],
  ["zero angles", (s) => (s.geometry.angles = 0), /^geometry\.angles: expected a number of projections of at least 1/],
  ["range over 360", (s) => (s.geometry.range = "400 deg"), /^geometry\.range: expected a range above 0 and at most 360 deg/],
  ["noise not boolean", (s) => (s.detector.noise = "yes"), /^detector\.noise: expected true or false, got "yes"$/],
  ["bad name", (s) => (s.name = "my run/1"), /^name: expected a name of letters/],
  ["negative seed", (s) => (s.seed = -1), /^seed: expected a whole number from 0 to 4294967295/],
  ["zero axis", (s) => (s.sample.objects[0] = { type: "cylinder", material: "Al", center: [0, 0, 0].map(() => "0 um"), radius: "1 um", height: "2 um", axis: [0, 0, 0] }), /^sample\.objects\[0\]\.axis: expected a non-zero vector/],
  ["too many voxels", (s) => (s.sample.shape = [65535, 65535, 65535]), /^sample\.shape: .* voxels is more than/],
  ["cone without distances", (s) => (s.geometry.type = "cone"), /^geometry: a cone beam needs sourceObject and sourceDetector/],
  ["cone detector inside the source distance", (s) => Object.assign(s.geometry, { type: "cone", sourceObject: "20 mm", sourceDetector: "10 mm" }), /^geometry\.sourceDetector: must exceed sourceObject \(20 mm\), got 10 mm$/],
  ["laminography without tilt", (s) => (s.geometry.type = "laminography"), /^geometry: laminography needs a tilt/],
  ["tilt on a parallel scan", (s) => (s.geometry.tilt = "30 deg"), /^geometry: tilt belongs to laminography, not "parallel"$/],
  ["no energy and no spectrum", (s) => delete s.beam.energy, /^beam: give either an energy .* or a spectrum/],
  ["energy and spectrum", (s) => (s.beam.spectrum = { anode: "W", voltage: "60 kV" }), /^beam: give either an energy/],
  ["tube voltage out of range", (s) => { delete s.beam.energy; s.beam.spectrum = { anode: "W", voltage: "300 kV" }; }, /^beam\.spectrum\.voltage: must be between 20 and 160 kV, got 300 kV$/],
  ["unknown anode", (s) => { delete s.beam.energy; s.beam.spectrum = { anode: "Fe", voltage: "60 kV" }; }, /^beam\.spectrum\.anode: expected an anode "W", "Mo", "Cu" or "Ag"/],
  ["photons and flux", (s) => (s.beam.flux = 1e12), /^beam: give either photonsPerPixel or a flux/],
  ["flux without size", (s) => { delete s.beam.photonsPerPixel; s.beam.flux = 1e12; }, /^beam\.size: a flux needs the beam size/],
  ["bandwidth with a tube", (s) => { delete s.beam.energy; s.beam.spectrum = { anode: "W", voltage: "60 kV" }; s.beam.bandwidth = 0.01; }, /^beam\.bandwidth: belongs to a monochromatic beam/],
  ["uint16 overflow", (s) => ((s.beam.photonsPerPixel = 1e6), (s.detector.dtype = "uint16")), /^detector\.dtype: uint16 cannot hold/],
];

for (const [name, mutate, expected] of cases) {
  test(`bad input is named with path, value and what is allowed: ${name}`, () => {
    const problems = problemsOf(mutate);
    assert.ok(problems.some((p) => expected.test(p)), `got:\n  ${problems.join("\n  ")}`);
  });
}

test("a flux over the beam area gives photons per pixel per exposure, at the sample for a cone beam", () => {
  const raw = base() as Record<string, any>;
  delete raw.beam.photonsPerPixel;
  raw.beam.flux = 1e12;
  raw.beam.size = ["1 mm", "1 mm"];
  raw.scan = { exposure: "0.1 s" };
  // 1e12 /s x 0.1 s x (1 um)^2 / (1 mm)^2 = 1e5 photons per pixel.
  assert.ok(Math.abs(validateScenario(raw).beam.photonsPerPixel - 1e5) < 1e-6);
  raw.geometry = { type: "cone", angles: 4, sourceObject: "10 mm", sourceDetector: "40 mm" };
  // Magnification 4: a 1 um pitch sees 0.25 um at the sample, 16 times fewer photons.
  assert.ok(Math.abs(validateScenario(raw).beam.photonsPerPixel - 1e5 / 16) < 1e-6);
});

test("a monochromator band: normalised Gaussian about E0 with the given FWHM", async () => {
  const { monochromatorBand } = await import("../../src/engine/scenario.js");
  const band = monochromatorBand(20, 0.02);
  let total = 0, mean = 0, second = 0;
  for (let i = 0; i < band.energyKeV.length; i++) {
    total += band.photons[i]!;
    mean += band.photons[i]! * band.energyKeV[i]!;
  }
  for (let i = 0; i < band.energyKeV.length; i++) second += band.photons[i]! * (band.energyKeV[i]! - mean) ** 2;
  assert.ok(Math.abs(total - 1) < 1e-12);
  assert.ok(Math.abs(mean - 20) < 1e-9, `mean ${mean}`);
  // FWHM 0.4 keV: sigma 0.170 keV; sampling to +-1.5 FWHM (3.5 sigma) keeps it within 2%.
  assert.ok(Math.abs(Math.sqrt(second) / (0.4 / 2.3548) - 1) < 0.02, `sigma ${Math.sqrt(second)}`);
  const raw = base() as Record<string, any>;
  raw.beam.bandwidth = 0.02;
  assert.ok(validateScenario(raw).beam.polychromatic !== undefined);
});

test("every problem is reported at once, and the message names the file", () => {
  try {
    validateScenario({ ...base(), beam: { energy: "20 kg", photonsPerPixel: -1 } }, "bad.yaml");
    assert.unreachable();
  } catch (e) {
    const err = e as ScenarioError;
    assert.is(err.problems.length, 2);
    assert.match(err.message, /^bad\.yaml: 2 problems/);
  }
});

test("YAML syntax errors give the line", () => {
  assert.throws(() => parseScenario("name: [unclosed\nseed: 1\n", "x.yaml"), /x\.yaml: 1 problem\n {2}not valid YAML at line \d+/);
  assert.throws(() => parseScenario("- just\n- a list\n"), /expected a mapping/);
});

test("defaults: seed 0, background air, 10 flats and darks, dxchange output, equal angles", () => {
  const raw = base() as Record<string, unknown>;
  delete raw.seed;
  delete (raw.sample as Record<string, unknown>).background;
  const s = validateScenario(raw);
  assert.is(s.seed, 0);
  assert.is(s.sample.background.name, "air");
  assert.equal(s.scan, { flats: 10, darks: 10, exposureS: 1, dose: false, flatsAt: "before" });
  assert.equal(s.output.formats, ["dxchange"]);
  assert.is(s.geometry.angleOrder, "equal");
  assert.is(s.sample.supersampling, 4);
});

test("materials by formula with a density", () => {
  const raw = base();
  (raw.sample.objects[0] as Record<string, unknown>).material = { formula: "LiNiO2", density: "4.8 g/cm^3" };
  const s = validateScenario(raw);
  assert.is(s.sample.objectMaterials[0]!.densityGcm3, 4.8);
  assert.is(s.sample.objects[0]!.material, "LiNiO2");
});


test("sample.phantom: a recipe generated on the scenario's grid; not together with objects", async () => {
  const { parseRecipe } = await import("../../src/phantoms/recipe.js");
  const { simulate } = await import("../../src/engine/simulate.js");
  const { firstValueFrom, filter } = await import("rxjs");
  const recipeText = readFileSync(REPO_ROOT + "phantoms/solid-state-cathode.yaml", "utf8");
  const loadRecipe = (path: string) => {
    assert.is(path, "phantoms/solid-state-cathode.yaml");
    return parseRecipe(recipeText, path);
  };
  const raw = { ...base(), sample: { voxelSize: "0.5 um", shape: [80, 80, 128], phantom: "phantoms/solid-state-cathode.yaml" } };
  const s = validateScenario(raw, "t.yaml", { loadRecipe });
  assert.is(s.sample.phantom!.name, "solid-state-cathode");
  const phantom = await firstValueFrom(simulate(s).pipe(filter((e) => e.type === "phantom")));
  if (phantom.type !== "phantom") throw new Error("no phantom event");
  assert.equal(phantom.volume.classNames, ["LPSCl", "aluminium", "NMC811", "air"]);
  assert.ok(phantom.microstructure !== undefined && phantom.microstructure.particles.length > 0);
  // NMC811 absorbs more than the argyrodite around it at 20 keV.
  assert.ok(phantom.muPerClass[2]! > phantom.muPerClass[0]!);
  const both = { ...raw, sample: { ...raw.sample, objects: base().sample.objects } };
  assert.throws(() => validateScenario(both, "t.yaml", { loadRecipe }), /sample: give either objects or a phantom, not both/);
  assert.throws(() => validateScenario(raw, "t.yaml"), /sample\.phantom: "phantoms\/solid-state-cathode\.yaml" cannot be read here/);
});

test("every shipped scenario validates, with the recipes it names", async () => {
  const { readdirSync } = await import("node:fs");
  const { parseRecipe } = await import("../../src/phantoms/recipe.js");
  const loadRecipe = (path: string) => parseRecipe(readFileSync(REPO_ROOT + path, "utf8"), path);
  const files = readdirSync(REPO_ROOT + "scenarios").filter((f) => f.endsWith(".yaml"));
  for (const required of ["demo.yaml", "lab-microct-cathode.yaml", "synchrotron-nanoct-nmc.yaml", "laminography-pouch.yaml", "holotomo-cbd.yaml", "dose-tolerance-nmc.yaml"]) {
    assert.ok(files.includes(required), required);
  }
  const { parseDatasetScenario } = await import("../../src/datasets/scenario.js");
  const { parse } = await import("yaml");
  for (const f of files) {
    const text = readFileSync(REPO_ROOT + "scenarios/" + f, "utf8");
    // Training-data scenarios (a `dataset` section, for xtwin dataset) have their own validator.
    if ((parse(text) as Record<string, unknown>).dataset !== undefined) parseDatasetScenario(text, f);
    else parseScenario(text, f, { loadRecipe });
  }
  assert.ok(files.includes("training-particles-2d.yaml"));
  // Given to the scan validator, a training-data scenario is pointed to the command that takes it.
  assert.throws(() => parseScenario(readFileSync(REPO_ROOT + "scenarios/training-particles-2d.yaml", "utf8"), "t.yaml", { loadRecipe }), /dataset: a training-data scenario; make it with xtwin dataset/);
});
test.run();
