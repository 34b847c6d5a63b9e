/** Particle cracking: stress scaling with rate and size, Weibull statistics, determinism. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  crackedZoneFraction,
  crackProbability,
  cracks,
  crackVolumeFraction,
  NMC811_PARTICLE,
  NMC_SECONDARY_STRENGTH,
  particleCrackStress,
  sampleStrengthPa,
} from "../../src/degradation/cracking.js";
import { createRandom } from "../../src/core/random.js";

const VERBOSE = Boolean(process.env.XTWIN_VERBOSE);
// A population of 5 sizes around the Chen et al. (2020) NMC811 radius.
const RADII = [3e-6, 4e-6, 5.22e-6, 6.5e-6, 8e-6].flatMap((r) => [r, r, r, r, r, r, r, r]);

test("peak hoop stress follows the quasi-steady law K j R / (5 D) at a slow rate, and grows with rate and size", () => {
  const p = NMC811_PARTICLE;
  const k = (p.partialMolarVolumeM3PerMol * p.youngModulusPa) / (3 * (1 - p.poissonRatio));
  const r = 3e-6;
  const usable = (p.stoichiometryDischarged - p.stoichiometryCharged) * p.maxConcentrationMolPerM3;
  const j = (0.1 * usable * r) / (3 * 3600);
  // Crank 1975 sec. 6.3.2: c_avg - c(R) -> j R / (5 D) once D t / R^2 >> 0.1.
  const quasiSteady = (k * j * r) / (5 * (p.diffusivityM2PerS as number));
  const s = particleCrackStress(r, "C/10");
  if (VERBOSE) console.log(`C/10, 3 um: ${s / 1e6} MPa vs quasi-steady ${quasiSteady / 1e6} MPa`);
  assert.ok(Math.abs(s / quasiSteady - 1) < 0.01, `${s} vs ${quasiSteady}`);
  const byRate = ["C/3", "1C", "4C"].map((c) => particleCrackStress(5.22e-6, c));
  const bySize = [3e-6, 5.22e-6, 8e-6].map((x) => particleCrackStress(x, "1C"));
  if (VERBOSE) console.log("by rate (MPa)", byRate.map((x) => x / 1e6), "by size (MPa)", bySize.map((x) => x / 1e6));
  assert.ok(byRate[0]! < byRate[1]! && byRate[1]! < byRate[2]!, `rate: ${byRate}`);
  assert.ok(bySize[0]! < bySize[1]! && bySize[1]! < bySize[2]!, `size: ${bySize}`);
});

test("crack fraction increases with rate (C/3 < 1C < 4C) and with particle size", () => {
  const f = ["C/3", "1C", "4C"].map((c) => crackVolumeFraction(RADII, c, { seed: 7 }).crackedVolumeFraction);
  if (VERBOSE) console.log("cracked volume fraction by rate", f);
  assert.ok(f[0]! > 0, `some cracking at C/3: ${f[0]}`);
  assert.ok(f[0]! < f[1]! && f[1]! < f[2]!, `rate: ${f}`);
  const sizes = [3e-6, 5.22e-6, 8e-6].map((r) => crackVolumeFraction(new Array(24).fill(r), "1C", { seed: 7 }).crackedVolumeFraction);
  if (VERBOSE) console.log("cracked volume fraction by size at 1C", sizes);
  assert.ok(sizes[0]! < sizes[1]! && sizes[1]! < sizes[2]!, `size: ${sizes}`);
});

test("same seed, same result; another seed, other strengths", () => {
  const a = crackVolumeFraction(RADII, "1C", { seed: 11 });
  const b = crackVolumeFraction(RADII, "1C", { seed: 11 });
  const c = crackVolumeFraction(RADII, "1C", { seed: 12 });
  assert.equal(a, b);
  assert.not.equal(a.particles.map((x) => x.strengthPa), c.particles.map((x) => x.strengthPa));
  assert.is(cracks(120e6, NMC_SECONDARY_STRENGTH, 3), cracks(120e6, NMC_SECONDARY_STRENGTH, 3));
});

test("Weibull: sampled strengths follow 1 - exp(-(s/sigma0)^m)", () => {
  const rng = createRandom(2024);
  const n = 20000;
  let below = 0;
  const probe = 120e6;
  for (let i = 0; i < n; i++) if (sampleStrengthPa(rng) <= probe) below++;
  const p = crackProbability(probe);
  assert.ok(Math.abs(p - (1 - Math.exp(-Math.pow(0.8, 5)))) < 1e-15);
  // Binomial standard error sqrt(p(1-p)/n) ~ 0.003; allow 4 sigma.
  assert.ok(Math.abs(below / n - p) < 4 * Math.sqrt((p * (1 - p)) / n), `${below / n} vs ${p}`);
  assert.is(crackProbability(-1e6), 0);
});

test("cracked zone: linear hoop profile crosses the strength where expected", () => {
  // hoop = 100 MPa * (r/R) on r in [0, R]; strength 50 MPa -> r_c = R/2 -> fraction 7/8.
  const r = [0, 0.25, 0.5, 0.75, 1];
  const hoop = r.map((x) => 100e6 * x);
  assert.ok(Math.abs(crackedZoneFraction(r, hoop, 50e6) - 7 / 8) < 1e-14);
  assert.is(crackedZoneFraction(r, hoop, 150e6), 0);
});

test.run();
