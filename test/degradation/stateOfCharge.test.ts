import { test } from "uvu";
import * as assert from "uvu/assert";
import { FARADAY_C_PER_MOL } from "../../src/core/constants.js";
import { NMC811_PARTICLE } from "../../src/degradation/cracking.js";
import { lithiationAfterCharge } from "../../src/degradation/stateOfCharge.js";
import type { Microstructure, ParticleRecord } from "../../src/phantoms/microstructure/types.js";

/** Two spherical NMC particles (radius 5 voxels) in electrolyte; CBD touches one on one side and the other on two. */
function twoParticles(s = 1e-6): Microstructure {
  const nx = 32, ny = 16, nz = 16;
  const labels = new Uint8Array(nx * ny * nz);
  const instances = new Uint32Array(nx * ny * nz);
  const centres = [[-8, 0, 0], [8, 0, 0]];
  const particles: ParticleRecord[] = [];
  centres.forEach(([cx, cy, cz], p) => {
    let n = 0;
    for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) {
      const x = i - (nx - 1) / 2 - cx!, y = j - (ny - 1) / 2 - cy!, z = k - (nz - 1) / 2 - cz!;
      if (x * x + y * y + z * z <= 25) {
        const v = i + nx * (j + ny * k);
        labels[v] = 1;
        instances[v] = p + 1;
        n++;
      }
    }
    const r = Math.cbrt((3 * n) / (4 * Math.PI)) * s;
    particles.push({ id: p + 1, material: "NMC811", kind: "active", center: [cx! * s, cy! * s, cz! * s], semiAxes: [5 * s, 5 * s, 5 * s], equivalentDiameterM: 2 * r, volumeM3: n * s ** 3, grainCount: 1, cracked: false, agglomerate: 0 });
  });
  // CBD slabs: one plane touching particle 1 at +x, two planes (+x and -x) for particle 2.
  const put = (i: number) => { for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) { const v = i + nx * (j + ny * k); if (labels[v] === 0) labels[v] = 2; } };
  put((nx - 1) / 2 - 8 + 5.5);
  put((nx - 1) / 2 + 8 + 5.5);
  put((nx - 1) / 2 + 8 - 5.5);
  return { grid: { nx, ny, nz, voxelSizeM: s }, classNames: ["LP30", "NMC811", "CBD"], labels, instances, localGrains: new Uint8Array(nx * ny * nz), grainOffsets: new Uint32Array(3), particles };
}

test("the current follows the carbon-binder contact: SOC differs between particles; the lithium removed is I t / F", () => {
  const ms = twoParticles();
  const r = lithiationAfterCharge(ms, { cRate: "C/2", chargeTimeS: 600 });
  const [a, b] = r.particles;
  assert.ok(a!.contactAreaM2 > 0 && b!.contactAreaM2 > 1.5 * a!.contactAreaM2, `contacts ${a!.contactAreaM2} ${b!.contactAreaM2}`);
  assert.ok(Math.abs(a!.currentShare + b!.currentShare - 1) < 1e-12);
  assert.ok(b!.averageStoichiometry < a!.averageStoichiometry, "the better-connected particle is more delithiated");
  assert.ok(a!.surfaceStoichiometry < a!.averageStoichiometry, "the surface leads the bulk during charge");
  // Conservation: lithium removed from both particles = I t / F (no particle saturated in 600 s at C/2).
  const p = NMC811_PARTICLE;
  const totalVolume = ms.particles.reduce((sum, q) => sum + q.volumeM3, 0);
  const current = (0.5 * (p.stoichiometryDischarged - p.stoichiometryCharged) * p.maxConcentrationMolPerM3 * totalVolume * FARADAY_C_PER_MOL) / 3600;
  const removed = r.particles.reduce((sum, q) => sum + (p.stoichiometryDischarged - q.averageStoichiometry) * p.maxConcentrationMolPerM3 * (4 / 3) * Math.PI * q.radiusM ** 3, 0);
  assert.ok(Math.abs(removed / ((current * 600) / FARADAY_C_PER_MOL) - 1) < 1e-6, `removed ${removed} mol vs ${(current * 600) / FARADAY_C_PER_MOL}`);
  // Per-voxel truth: inside the particles between the charged and discharged concentrations, 0 outside.
  let inside = 0;
  r.concentrationMolPerM3.forEach((c, v) => {
    if (ms.labels[v] === 1) {
      inside++;
      assert.ok(c > p.stoichiometryCharged * p.maxConcentrationMolPerM3 * 0.99 && c <= p.stoichiometryDischarged * p.maxConcentrationMolPerM3 * 1.0001, `voxel ${v}: ${c}`);
    } else assert.is(c, 0);
  });
  assert.ok(inside > 900);
});

test("a saturated particle's share goes to the others: lithium removed stays I t / F while any particle takes current", () => {
  const ms = twoParticles();
  // 2C for 1100 s: the better-connected particle (about two thirds of the current for half the
  // lithium) reaches the charged stoichiometry at its surface first; the other then takes the
  // whole current.
  const p = NMC811_PARTICLE;
  const t = 1100;
  const r = lithiationAfterCharge(ms, { cRate: "2C", chargeTimeS: t, steps: 600 });
  const [a, b] = r.particles;
  // Particle 2's surface reached the charged stoichiometry (it then idles and relaxes a little
  // above it); particle 1 is still far from it.
  assert.ok(b!.surfaceStoichiometry < p.stoichiometryCharged + 0.03, `particle 2 near saturation: surface ${b!.surfaceStoichiometry}`);
  assert.ok(a!.surfaceStoichiometry > p.stoichiometryCharged + 0.1, `particle 1 still charging: surface ${a!.surfaceStoichiometry}`);
  const totalVolume = ms.particles.reduce((sum, q) => sum + q.volumeM3, 0);
  const current = (2 * (p.stoichiometryDischarged - p.stoichiometryCharged) * p.maxConcentrationMolPerM3 * totalVolume * FARADAY_C_PER_MOL) / 3600;
  const removed = r.particles.reduce((sum, q) => sum + (p.stoichiometryDischarged - q.averageStoichiometry) * p.maxConcentrationMolPerM3 * (4 / 3) * Math.PI * q.radiusM ** 3, 0);
  assert.ok(Math.abs(removed / ((current * t) / FARADAY_C_PER_MOL) - 1) < 1e-6, `removed ${removed} mol vs ${(current * t) / FARADAY_C_PER_MOL}`);
  // Without redistribution particle 1 would hold its contact share only: it took more, and
  // particle 2 less, than their shares of I t.
  const removedBy = (q: typeof a) => (p.stoichiometryDischarged - q!.averageStoichiometry) * p.maxConcentrationMolPerM3 * (4 / 3) * Math.PI * q!.radiusM ** 3;
  const it = (current * t) / FARADAY_C_PER_MOL;
  assert.ok(removedBy(a) > 1.05 * a!.currentShare * it, `${removedBy(a)} vs ${a!.currentShare * it}`);
  assert.ok(removedBy(b) < 0.98 * b!.currentShare * it, `${removedBy(b)} vs ${b!.currentShare * it}`);
});

test("a current profile: constant steps reproduce the constant charge; a tapering charge removes the integral of I dt / F", () => {
  const ms = twoParticles();
  const constant = lithiationAfterCharge(ms, { cRate: "C/2", chargeTimeS: 600, steps: 50 });
  const asProfile = lithiationAfterCharge(ms, { cRate: "C/2", currentProfile: { durationS: new Float64Array(50).fill(12), currentFraction: new Float64Array(50).fill(1) } });
  assert.equal(Array.from(asProfile.concentrationMolPerM3), Array.from(constant.concentrationMolPerM3));
  // CC for 300 s, then a CV-like taper 0.8, 0.4, 0.2 of the current for 200 s each.
  const durationS = [300, 200, 200, 200];
  const currentFraction = [1, 0.8, 0.4, 0.2];
  const r = lithiationAfterCharge(ms, { cRate: "C/2", currentProfile: { durationS, currentFraction } });
  const p = NMC811_PARTICLE;
  const totalVolume = ms.particles.reduce((sum, q) => sum + q.volumeM3, 0);
  const current = (0.5 * (p.stoichiometryDischarged - p.stoichiometryCharged) * p.maxConcentrationMolPerM3 * totalVolume * FARADAY_C_PER_MOL) / 3600;
  const charge = current * (300 + 0.8 * 200 + 0.4 * 200 + 0.2 * 200);
  const removed = r.particles.reduce((sum, q) => sum + (p.stoichiometryDischarged - q.averageStoichiometry) * p.maxConcentrationMolPerM3 * (4 / 3) * Math.PI * q.radiusM ** 3, 0);
  assert.ok(Math.abs(removed / (charge / FARADAY_C_PER_MOL) - 1) < 1e-6, `removed ${removed} mol vs ${charge / FARADAY_C_PER_MOL}`);
  assert.throws(() => lithiationAfterCharge(ms, { cRate: "1C", chargeTimeS: 10, currentProfile: { durationS, currentFraction } }), /either currentProfile or chargeTimeS/);
  assert.throws(() => lithiationAfterCharge(ms, { cRate: "1C", currentProfile: { durationS: [1, 2], currentFraction: [1] } }), /as many durations as currents/);
});

test("an isolated particle (no carbon-binder contact) does not charge", () => {
  const ms = twoParticles();
  for (let v = 0; v < ms.labels.length; v++) if (ms.labels[v] === 2) ms.labels[v] = 0; // remove all CBD...
  const i = (ms.grid.nx - 1) / 2 + 8 + 5.5;
  for (let k = 0; k < ms.grid.nz; k++) for (let j = 0; j < ms.grid.ny; j++) { const v = i + ms.grid.nx * (j + ms.grid.ny * k); if (ms.labels[v] === 0) ms.labels[v] = 2; } // ...but one slab at particle 2
  const r = lithiationAfterCharge(ms, { cRate: "1C", chargeTimeS: 300 });
  assert.is(r.particles[0]!.currentShare, 0);
  assert.ok(Math.abs(r.particles[0]!.averageStoichiometry - NMC811_PARTICLE.stoichiometryDischarged) < 1e-12);
  assert.ok(r.particles[1]!.averageStoichiometry < NMC811_PARTICLE.stoichiometryDischarged - 0.01);
});

test.run();
