/**
 * Lithiation of every cathode particle after a constant-current charge, with the current
 * shared among the particles by their contact with the carbon-binder domain (the electronic
 * path): particle p carries I_p = I A_p / sum A, A_p its particle-CBD contact area (voxel
 * faces), so particles with poor contact barely charge and isolated ones not at all; the
 * state-of-charge heterogeneity between particles is a result (cf. the single-particle-
 * ensemble picture of e.g. Park et al., J. Electrochem. Soc. 167 (2020) 090506 [unverified
 * reference]; the contact-limited current distribution is our simplification).
 *
 * Each particle is a sphere of its equivalent radius (Fick diffusion, diffusion.ts) starting
 * fully lithiated (the discharged stoichiometry); its surface flux j_p = I_p / (F 4 pi R^2).
 * A particle whose surface reaches the charged stoichiometry stops taking current and its
 * share goes to the particles that still can, in proportion to their contact, so the
 * electrode current I is kept (lithium removed = I t / F) until every connected particle's
 * surface has reached it. The per-voxel lithium concentration (mol/m^3) follows
 * from each voxel's normalised radius inside its particle's ellipsoid, r = R rho with
 * rho^2 = sum ((x - c) / a)^2, interpolated in the particle's radial profile: ground truth
 * that can be written with the scan.
 */
import { FARADAY_C_PER_MOL } from "../core/constants.js";
import type { Microstructure } from "../phantoms/microstructure/types.js";
import { NMC811_PARTICLE, type ParticleChargeParams } from "./cracking.js";
import { SphereDiffusion } from "./diffusion.js";
import { parseCRate } from "./protocol.js";

export interface ParticleLithiation {
  readonly id: number;
  readonly radiusM: number;
  /** Particle-CBD contact area (m^2). */
  readonly contactAreaM2: number;
  /** Share of the electrode current while every particle takes current (contact / total contact). */
  readonly currentShare: number;
  /** Lithium stoichiometry x (c / c_max) averaged over the particle, and at its surface. */
  readonly averageStoichiometry: number;
  readonly surfaceStoichiometry: number;
}

export interface LithiationResult {
  readonly particles: ParticleLithiation[];
  /** Lithium concentration per voxel (mol/m^3) inside cathode particles, 0 elsewhere. */
  readonly concentrationMolPerM3: Float32Array;
}

export interface LithiationOptions {
  readonly cathodeClass?: string;
  readonly cbdClass?: string;
  /** Charge rate ("1C", "C/3") or a number. */
  readonly cRate: string | number;
  /** Charge time (s); default a full nominal charge, 3600 / C-rate. Not with currentProfile. */
  readonly chargeTimeS?: number;
  /**
   * A charge whose current changes (e.g. the CC-CV charge of chargeProfile.ts): per step its
   * duration (s) and its current as a fraction of the C-rate's current. Replaces chargeTimeS
   * and steps: the particles step with the profile's own steps.
   */
  readonly currentProfile?: { readonly durationS: ArrayLike<number>; readonly currentFraction: ArrayLike<number> };
  readonly particle?: ParticleChargeParams;
  /** Radial shells and time steps of each particle's diffusion (defaults 30 and 200). */
  readonly shells?: number;
  readonly steps?: number;
}

/** Particle-CBD contact faces per particle id (6-neighbour faces between the two classes). */
function contactFaces(ms: Microstructure, cathode: number, cbd: number): Map<number, number> {
  const { nx, ny, nz } = ms.grid;
  const faces = new Map<number, number>();
  const add = (v: number) => {
    const id = ms.instances[v]!;
    faces.set(id, (faces.get(id) ?? 0) + 1);
  };
  const nxy = nx * ny;
  for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) {
    const v = i + nx * j + nxy * k;
    if (ms.labels[v] !== cathode) continue;
    if (i > 0 && ms.labels[v - 1] === cbd) add(v);
    if (i < nx - 1 && ms.labels[v + 1] === cbd) add(v);
    if (j > 0 && ms.labels[v - nx] === cbd) add(v);
    if (j < ny - 1 && ms.labels[v + nx] === cbd) add(v);
    if (k > 0 && ms.labels[v - nxy] === cbd) add(v);
    if (k < nz - 1 && ms.labels[v + nxy] === cbd) add(v);
  }
  return faces;
}

export function lithiationAfterCharge(ms: Microstructure, options: LithiationOptions): LithiationResult {
  const cathodeName = options.cathodeClass ?? "NMC811";
  const cathode = ms.classNames.indexOf(cathodeName);
  if (cathode < 0) throw new RangeError(`no cathode class "${cathodeName}" in the sample (${ms.classNames.join(", ")})`);
  const cbd = options.cbdClass !== undefined ? ms.classNames.indexOf(options.cbdClass) : ms.classNames.findIndex((c) => /cbd|binder/i.test(c));
  if (cbd < 0) throw new RangeError("no carbon-binder class in the sample: give cbdClass");
  const p = options.particle ?? NMC811_PARTICLE;
  const cRate = parseCRate(options.cRate, "cRate");
  const duration = options.chargeTimeS ?? 3600 / cRate;
  if (!(duration > 0)) throw new RangeError(`charge time must be positive, got ${duration} s`);
  const shells = options.shells ?? 30;
  const steps = options.steps ?? 200;
  const profile = options.currentProfile ?? { durationS: new Float64Array(steps).fill(duration / steps), currentFraction: new Float64Array(steps).fill(1) };
  if (options.currentProfile !== undefined) {
    if (options.chargeTimeS !== undefined || options.steps !== undefined) throw new RangeError("give either currentProfile or chargeTimeS/steps, not both");
    const { durationS, currentFraction } = options.currentProfile;
    if (durationS.length !== currentFraction.length || durationS.length === 0) {
      throw new RangeError(`currentProfile: expected as many durations as currents (at least one), got ${durationS.length} and ${currentFraction.length}`);
    }
    for (let t = 0; t < durationS.length; t++) {
      if (!(durationS[t]! > 0) || !(currentFraction[t]! >= 0)) throw new RangeError(`currentProfile step ${t}: expected a duration > 0 and a current fraction >= 0, got ${durationS[t]} s and ${currentFraction[t]}`);
    }
  }
  const s = ms.grid.voxelSizeM;
  const faces = contactFaces(ms, cathode, cbd);
  const cathodeParticles = ms.particles.filter((q) => q.material === cathodeName);
  // Electrode current: the charge that takes every cathode particle from the discharged to the
  // charged stoichiometry in 3600 / C s.
  const dx = p.stoichiometryDischarged - p.stoichiometryCharged;
  let totalVolume = 0;
  let totalFaces = 0;
  for (const q of cathodeParticles) {
    totalVolume += q.volumeM3;
    totalFaces += faces.get(q.id) ?? 0;
  }
  const currentA = (cRate * dx * p.maxConcentrationMolPerM3 * totalVolume * FARADAY_C_PER_MOL) / 3600;
  const cMin = p.stoichiometryCharged * p.maxConcentrationMolPerM3;
  // All particles step together: at each step the electrode current I is shared among the
  // particles still able to take lithium out (surface above the charged stoichiometry) in
  // proportion to their contact faces, so I is kept until every connected particle saturates.
  const spheres: SphereDiffusion[] = [];
  const faceCount = new Float64Array(cathodeParticles.length);
  const radii = new Float64Array(cathodeParticles.length);
  cathodeParticles.forEach((q, n) => {
    radii[n] = q.equivalentDiameterM / 2;
    faceCount[n] = faces.get(q.id) ?? 0;
    spheres.push(new SphereDiffusion({ radiusM: radii[n]!, shells, diffusivityM2PerS: p.diffusivityM2PerS, initialMolPerM3: p.stoichiometryDischarged * p.maxConcentrationMolPerM3 }));
  });
  const active = new Uint8Array(cathodeParticles.length);
  for (let t = 0; t < profile.durationS.length; t++) {
    const dt = profile.durationS[t]!;
    const stepCurrentA = currentA * profile.currentFraction[t]!;
    let activeFaces = 0;
    for (let n = 0; n < spheres.length; n++) {
      active[n] = faceCount[n]! > 0 && spheres[n]!.surfaceConcentration() > cMin ? 1 : 0;
      if (active[n] === 1) activeFaces += faceCount[n]!;
    }
    for (let n = 0; n < spheres.length; n++) {
      const share = active[n] === 1 ? faceCount[n]! / activeFaces : 0;
      spheres[n]!.step(dt, (share * stepCurrentA) / (FARADAY_C_PER_MOL * 4 * Math.PI * radii[n]! * radii[n]!));
    }
  }
  const profiles = new Map<number, { radii: Float64Array; c: Float64Array; radius: number }>();
  const particles: ParticleLithiation[] = [];
  cathodeParticles.forEach((q, n) => {
    const sphere = spheres[n]!;
    const prof = sphere.profileWithSurface(sphere.lastSurfaceFluxMolPerM2S);
    profiles.set(q.id, { radii: Float64Array.from(prof.radiiM), c: Float64Array.from(prof.concentration), radius: radii[n]! });
    particles.push({
      id: q.id,
      radiusM: radii[n]!,
      contactAreaM2: faceCount[n]! * s * s,
      currentShare: totalFaces > 0 ? faceCount[n]! / totalFaces : 0,
      averageStoichiometry: sphere.averageConcentration() / p.maxConcentrationMolPerM3,
      surfaceStoichiometry: sphere.surfaceConcentration() / p.maxConcentrationMolPerM3,
    });
  });
  // Per voxel: the radial profile at the voxel's normalised radius in its particle.
  const { nx, ny, nz } = ms.grid;
  const conc = new Float32Array(ms.labels.length);
  const byId = new Map(cathodeParticles.map((q) => [q.id, q]));
  for (let v = 0; v < conc.length; v++) {
    if (ms.labels[v] !== cathode) continue;
    const q = byId.get(ms.instances[v]!);
    const prof = q === undefined ? undefined : profiles.get(q.id);
    if (q === undefined || prof === undefined) continue;
    const i = v % nx, j = Math.floor(v / nx) % ny, k = Math.floor(v / (nx * ny));
    const x = (i - (nx - 1) / 2) * s - q.center[0], y = (j - (ny - 1) / 2) * s - q.center[1], z = (k - (nz - 1) / 2) * s - q.center[2];
    const rho = Math.min(1, Math.sqrt((x / q.semiAxes[0]) ** 2 + (y / q.semiAxes[1]) ** 2 + (z / q.semiAxes[2]) ** 2));
    conc[v] = interpolate(prof.radii, prof.c, rho * prof.radius);
  }
  return { particles, concentrationMolPerM3: conc };
}

function interpolate(xs: Float64Array, ys: Float64Array, x: number): number {
  if (x <= xs[0]!) return ys[0]!;
  for (let i = 1; i < xs.length; i++) {
    if (x <= xs[i]!) {
      const t = (x - xs[i - 1]!) / (xs[i]! - xs[i - 1]!);
      return ys[i - 1]! + t * (ys[i]! - ys[i - 1]!);
    }
  }
  return ys[ys.length - 1]!;
}
