/** Fatigue crack growth: Paris law against its closed form, one-charge limit, monotonicity, rate and size, seeds. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { crackVolumeFraction, particleCrackStress } from "../../src/degradation/cracking.js";
import {
  crackedFractionAfterCycles,
  cyclesToGrow,
  FatigueCrackPopulation,
  flawSizeFromStrength,
  NMC_PARIS_LAW,
  parisGrowth,
  residualStrengthPa,
  type ParisLaw,
} from "../../src/degradation/fatigue.js";

const VERBOSE = Boolean(process.env.XTWIN_VERBOSE);
// The population of cracking.test.ts: 5 sizes around the Chen et al. (2020) NMC811 radius.
const RADII = [3e-6, 4e-6, 5.22e-6, 6.5e-6, 8e-6].flatMap((r) => [r, r, r, r, r, r, r, r]);
const NO_GROWTH: ParisLaw = { ...NMC_PARIS_LAW, coefficient: 0 };

/** Cycles for explicit Euler with `sub` sub-steps per cycle to grow a0 -> ac (independent of the module's update). */
function eulerCycles(a0: number, ac: number, stressPa: number, law: ParisLaw, sub: number): number {
  const k = law.coefficient * Math.pow(law.geometryFactor * stressPa * Math.sqrt(Math.PI), law.exponent);
  const h = 1 / sub;
  let a = a0;
  let n = 0;
  while (a < ac) {
    a += h * k * Math.pow(a, law.exponent / 2);
    n += h;
  }
  return n;
}

test("Paris law: stepped growth crosses a_c at the closed-form N_f (m = 2.2, 2, 1.5)", () => {
  const a0 = 1e-7;
  const ac = 1e-6;
  const stress = 100e6;
  for (const m of [2.2, 2, 1.5]) {
    // Scale C so that N_f is of order 100-1000 cycles for every exponent.
    const law: ParisLaw = { ...NMC_PARIS_LAW, exponent: m, coefficient: 0.01 / Math.pow(1.12 * stress * Math.sqrt(Math.PI), m) };
    const nf = cyclesToGrow(a0, ac, stress, law);
    const e = 1 - m / 2;
    const g = 0.01;
    const closed = e === 0 ? Math.log(ac / a0) / g : (Math.pow(ac, e) - Math.pow(a0, e)) / (e * g);
    assert.ok(Math.abs(nf / closed - 1) < 1e-12, `m=${m}: ${nf} vs ${closed}`);
    // The module's cycle-by-cycle update: first cycle at or beyond a_c is ceil(N_f).
    let a = a0;
    let n = 0;
    while (a < ac) {
      a = parisGrowth(a, stress, 1, law);
      n++;
    }
    assert.is(n, Math.ceil(nf), `m=${m}: stepped ${n}, N_f ${nf}`);
    // N cycles at once equals N single cycles (the integration is exact, no step error).
    assert.ok(Math.abs(parisGrowth(a0, stress, 37, law) / (() => { let x = a0; for (let i = 0; i < 37; i++) x = parisGrowth(x, stress, 1, law); return x; })() - 1) < 1e-12);
    // Independent fine explicit Euler integration of da/dN agrees with N_f.
    const euler = eulerCycles(a0, ac, stress, law, 1000);
    if (VERBOSE) console.log(`m=${m}: N_f ${nf.toFixed(3)}, stepped ${n}, Euler ${euler.toFixed(3)}`);
    assert.ok(Math.abs(euler / nf - 1) < 1e-3, `m=${m}: Euler ${euler} vs ${nf}`);
  }
  // m > 2 runs away in finite N: the flaw is infinite past N_inf = a0^(1-m/2) / ((m/2 - 1) g).
  const law = { ...NMC_PARIS_LAW };
  const nInf = cyclesToGrow(a0, 1e30, stress, law);
  assert.is(parisGrowth(a0, stress, nInf * 1.01, law), Infinity);
  assert.ok(Number.isFinite(parisGrowth(a0, stress, nInf * 0.99, law)));
});

test("one Weibull draw fixes strength and flaw: K_IC = Y sigma_f sqrt(pi a0)", () => {
  for (const s of [40e6, 150e6, 400e6]) {
    const a0 = flawSizeFromStrength(s);
    assert.ok(Math.abs(residualStrengthPa(a0) / s - 1) < 1e-14);
    assert.ok(Math.abs(1.12 * s * Math.sqrt(Math.PI * a0) / NMC_PARIS_LAW.fractureToughnessPaSqrtM - 1) < 1e-14);
  }
  // The characteristic strength 150 MPa holds a 0.65 um flaw, inside a 5.22 um particle.
  assert.ok(Math.abs(flawSizeFromStrength(150e6) - 6.496e-7) < 1e-10);
});

test("without growth (C = 0) cycle 1 is the one-charge result bit for bit, and nothing changes after", () => {
  for (const rate of ["C/3", "1C", "4C"]) {
    const one = crackVolumeFraction(RADII, rate, { seed: 7 });
    const pop = new FatigueCrackPopulation(RADII, rate, { seed: 7, paris: NO_GROWTH });
    assert.is(pop.crackedVolumeFractionAt(0), 0);
    assert.is(pop.crackedVolumeFractionAt(1), one.crackedVolumeFraction);
    const s = pop.state();
    assert.is(s.crackedParticleFraction, one.crackedParticleFraction);
    assert.equal(s.particles.map((p) => p.crackedFraction), one.particles.map((p) => p.crackedFraction));
    assert.equal(s.particles.map((p) => p.strengthPa), one.particles.map((p) => p.strengthPa));
    assert.is(pop.crackedVolumeFractionAt(300), one.crackedVolumeFraction);
  }
});

test("cracked fraction is non-decreasing in cycles and grows beyond the first charge", () => {
  for (const rate of ["C/3", "1C"]) {
    const pop = new FatigueCrackPopulation(RADII, rate, { seed: 7 });
    let last = 0;
    for (let n = 0; n <= 300; n++) {
      const f = pop.crackedVolumeFractionAt(n);
      assert.ok(f >= last && f <= 1, `${rate} cycle ${n}: ${f} after ${last}`);
      last = f;
    }
    const first = pop.crackedVolumeFractionAt(1);
    if (VERBOSE) console.log(rate, "cycle 1", first, "cycle 50", pop.crackedVolumeFractionAt(50), "cycle 300", last);
    assert.ok(last > first + 0.1, `${rate}: ${first} -> ${last}`);
    // Asking again for an earlier cycle returns the remembered value.
    assert.is(pop.crackedVolumeFractionAt(1), first);
  }
});

test("crack onset of every particle is the cycle where its flaw reaches a_c = a0 (sigma_f / sigma_peak)^2 (closed form)", () => {
  // Small particles at C/3: low stress, so most particles need many cycles before they crack.
  const radii = new Array(30).fill(3e-6);
  const state = crackedFractionAfterCycles(radii, "C/3", 3000, { seed: 5 });
  const sigma = particleCrackStress(3e-6, "C/3");
  let checked = 0;
  for (const p of state.particles) {
    assert.is(p.maxHoopStressPa, sigma);
    if (p.strengthPa <= sigma) {
      assert.is(p.crackedAtCycle, 1);
      continue;
    }
    if (p.initialFlawM >= p.radiusM) {
      // A flaw drawn as deep as the particle cannot grow; only its strength can fail it.
      assert.is(p.crackedAtCycle, null);
      continue;
    }
    const ac = p.initialFlawM * (p.strengthPa / sigma) ** 2;
    // Cracked by K_max >= K_IC, or split by a flaw grown to the radius first.
    const nf = cyclesToGrow(p.initialFlawM, Math.min(ac, p.radiusM), sigma);
    if (Math.abs(nf - Math.round(nf)) < 1e-6) continue; // on an integer: rounding decides
    if (Math.ceil(nf) > 3000) {
      assert.is(p.crackedAtCycle, null);
      continue;
    }
    assert.is(p.crackedAtCycle, Math.ceil(nf), `N_f ${nf}`);
    checked++;
  }
  if (VERBOSE) console.log(`${checked} particles cracked after cycle 1, checked against N_f`);
  assert.ok(checked >= 10, `${checked}`);
});

test("more cracking at a higher rate and in larger particles, after cycling too", () => {
  const at = (radii: number[], rate: string, n: number): number => crackedFractionAfterCycles(radii, rate, n, { seed: 7 }).crackedVolumeFraction;
  for (const n of [1, 20]) {
    const f = ["C/3", "1C", "4C"].map((c) => at(RADII, c, n));
    const sizes = [3e-6, 5.22e-6, 8e-6].map((r) => at(new Array(24).fill(r), "C/3", n));
    if (VERBOSE) console.log(`cycle ${n}: by rate ${f}, by size at C/3 ${sizes}`);
    assert.ok(f[0]! < f[1]! && f[1]! < f[2]!, `rate at ${n}: ${f}`);
    assert.ok(sizes[0]! < sizes[1]! && sizes[1]! < sizes[2]!, `size at ${n}: ${sizes}`);
  }
});

test("a flaw grown to the radius splits the particle (fraction 1); same seed same state, other seed other strengths", () => {
  const a = crackedFractionAfterCycles(RADII, "1C", 100, { seed: 11 });
  const b = crackedFractionAfterCycles(RADII, "1C", 100, { seed: 11 });
  const c = crackedFractionAfterCycles(RADII, "1C", 100, { seed: 12 });
  assert.equal(a, b);
  assert.not.equal(a.particles.map((p) => p.strengthPa), c.particles.map((p) => p.strengthPa));
  assert.ok(a.splitParticleFraction > 0);
  for (const p of a.particles) {
    if (p.split) {
      assert.is(p.crackedFraction, 1);
      assert.is(p.flawM, p.radiusM);
    } else assert.ok(p.crackedFraction < 1);
  }
});

test("bad input is a RangeError naming the field", () => {
  assert.throws(() => crackedFractionAfterCycles(RADII, "1C", -1, { seed: 1 }), /cycles/);
  assert.throws(() => crackedFractionAfterCycles(RADII, "1C", 1.5, { seed: 1 }), /cycles/);
  assert.throws(() => new FatigueCrackPopulation([], "1C", { seed: 1 }), /empty/);
  assert.throws(() => new FatigueCrackPopulation([1e-6, -1], "1C", { seed: 1 }), /radius \[1\]/);
  assert.throws(() => new FatigueCrackPopulation(RADII, "1C", { seed: 1, paris: { ...NMC_PARIS_LAW, coefficient: -1 } }), /coefficient/);
  assert.throws(() => flawSizeFromStrength(0), /strengthPa/);
  assert.throws(() => parisGrowth(1e-7, 1e8, 1, { ...NMC_PARIS_LAW, fractureToughnessPaSqrtM: 0 }), /fractureToughness/);
  assert.throws(() => cyclesToGrow(1e-6, 1e-7, 1e8), RangeError);
});

test.run();
