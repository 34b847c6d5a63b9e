import { test } from "uvu";
import * as assert from "uvu/assert";
import { FWHM_PER_SIGMA, fresnelScaling, polychromaticIntensity, projectedSourceSigmaM, sourceSizeBlur } from "../../src/phase/coherence.js";
import { fresnelPropagate } from "../../src/phase/fresnel.js";
import { propagationSamplingWarnings } from "../../src/phase/sampling.js";
import { wavelengthM } from "../../src/phase/wave.js";

/**
 * Fresnel scaling theorem, one transverse dimension (the field is uniform along y): a sample
 * T(x) lit by the paraxial spherical wave exp(i pi x^2 / (lambda z1)) of a point source z1
 * upstream, propagated by z2, gives I_cone(M x) = I_plane(x; z_eff) / M (1/M^2 in 2-D).
 * The sample carries a smooth taper to zero beyond 100 um so that the spherical phase is
 * sampled wherever the field is not zero (|x| / (lambda z1) < 1 / (2 dx)).
 */
test("Fresnel scaling theorem: cone beam at z2 = plane wave at z1 z2 / (z1 + z2), magnified by M", () => {
  const lambda = wavelengthM(17), dx = 0.1e-6, nx = 16384, ny = 2, z1 = 0.5, z2 = 0.5;
  const { magnification: m, effectiveDistanceM: zEff } = fresnelScaling(z1, z2);
  assert.is(m, 2);
  assert.is(zEff, 0.25);
  assert.equal(propagationSamplingWarnings(nx, nx, dx, lambda, z2), []);
  assert.ok(150e-6 / (lambda * z1) < 1 / (2 * dx), "spherical phase sampled on the sample's support");
  const plane = new Float64Array(2 * nx * ny);
  const cone = new Float64Array(2 * nx * ny);
  for (let i = 0; i < nx; i++) {
    const x = (i - nx / 2) * dx, ax = Math.abs(x);
    const taper = ax < 100e-6 ? 1 : ax > 150e-6 ? 0 : Math.cos((Math.PI / 2) * ((ax - 100e-6) / 50e-6)) ** 2;
    const g = Math.exp(-((x - 2e-6) ** 2) / (2 * 1e-6 ** 2)) + 0.5 * Math.exp(-((x + 5e-6) ** 2) / (2 * 0.5e-6 ** 2));
    const amplitude = taper * Math.exp(-0.1 * g), phase = -g; // 1 rad phase bumps with 10 % absorption
    const sphere = (Math.PI * x * x) / (lambda * z1);
    for (let y = 0; y < ny; y++) {
      const p = 2 * (i + nx * y);
      plane[p] = amplitude * Math.cos(phase);
      plane[p + 1] = amplitude * Math.sin(phase);
      cone[p] = amplitude * Math.cos(phase + sphere);
      cone[p + 1] = amplitude * Math.sin(phase + sphere);
    }
  }
  const iPlane = fresnelPropagate(plane, nx, ny, dx, lambda, zEff, { pad: 1 });
  const iCone = fresnelPropagate(cone, nx, ny, dx, lambda, z2, { pad: 1 });
  let maxRel = 0, lo = Infinity, hi = 0;
  for (let i = nx / 2 - 300; i <= nx / 2 + 300; i++) {
    const j = m * (i - nx / 2) + nx / 2; // the pixel at M x
    const ip = iPlane[2 * i]! ** 2 + iPlane[2 * i + 1]! ** 2;
    const ic = (iCone[2 * j]! ** 2 + iCone[2 * j + 1]! ** 2) * m;
    maxRel = Math.max(maxRel, Math.abs(ic - ip) / ip);
    lo = Math.min(lo, ip);
    hi = Math.max(hi, ip);
  }
  assert.ok(lo < 0.5 && hi > 1.5, `strong holographic fringes (${lo.toFixed(2)}..${hi.toFixed(2)})`);
  assert.ok(maxRel < 1e-4, `max relative difference ${maxRel.toExponential(2)} (measured 4.4e-6)`);
});

test("source-size blur: projected sigma = sigma_src z2 / z1; a point spreads to that variance, a flat field stays flat", () => {
  // 50 um FWHM source at 50 m, detector 1 m behind: sigma_det = 50e-6 / 2.3548 / 50 = 0.4247 um.
  const fwhm = 50e-6, z1 = 50, z2 = 1, pixel = 0.1e-6;
  const sigma = projectedSourceSigmaM(fwhm, z1, z2);
  assert.ok(Math.abs(sigma - 50e-6 / 2.354820045 / 50) < 1e-15);
  assert.ok(Math.abs(FWHM_PER_SIGMA - 2.354820045) < 1e-9);
  const n = 64;
  const point = new Float64Array(n * n);
  point[32 + n * 32] = 1;
  const blurred = sourceSizeBlur(point, n, n, pixel, fwhm, z1, z2);
  let sum = 0, mx = 0, vx = 0, vy = 0, cxy = 0;
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) {
    const v = blurred[x + n * y]!;
    sum += v;
    mx += v * x;
    vx += v * (x - 32) ** 2;
    vy += v * (y - 32) ** 2;
    cxy += v * (x - 32) * (y - 32);
  }
  const sigmaPx = sigma / pixel;
  assert.ok(Math.abs(sum - 1) < 1e-12, "normalised kernel conserves intensity");
  assert.ok(Math.abs(mx - 32) < 1e-12, "no shift");
  // The sampled Gaussian truncated at 4 sigma has variance sigma^2 to < 1e-3 (relative).
  assert.ok(Math.abs(vx / sigmaPx ** 2 - 1) < 2e-3 && Math.abs(vy / sigmaPx ** 2 - 1) < 2e-3, `variance ${vx}, ${vy} vs ${sigmaPx ** 2}`);
  assert.ok(Math.abs(cxy) < 1e-12, "separable: no x-y correlation");
  const flat = sourceSizeBlur(new Float64Array(n * n).fill(0.8), n, n, pixel, fwhm, z1, z2);
  for (const v of flat) assert.ok(Math.abs(v - 0.8) < 1e-14, "edge replication keeps a flat field flat");
  assert.equal(Array.from(sourceSizeBlur(point, n, n, pixel, 0, z1, z2)), Array.from(point), "point source: no blur");
  // A [x, y] source: 50 um wide, 10 um high -> variances in the ratio 25.
  const aniso = sourceSizeBlur(point, n, n, pixel, [fwhm, fwhm / 5], z1, z2);
  let ax = 0, ay = 0;
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) {
    ax += aniso[x + n * y]! * (x - 32) ** 2;
    ay += aniso[x + n * y]! * (y - 32) ** 2;
  }
  assert.ok(Math.abs(ax / sigmaPx ** 2 - 1) < 2e-3 && Math.abs(ay / (sigmaPx / 5) ** 2 - 1) < 2e-2, `anisotropic variances ${ax}, ${ay}`);
  assert.throws(() => sourceSizeBlur(point, n, n, pixel, fwhm, 0, z2), /z1/);
});

test("polychromatic intensity: fluence-weighted mean; energy-integrating detectors weigh by E", () => {
  const spectrum = { energiesKeV: [10, 20, 40], weights: [1, 2, 1] };
  // Intensity E / 10 in every pixel of bin E.
  const at = (e: number): Float64Array => new Float64Array(3).fill(e / 10);
  const counting = polychromaticIntensity(spectrum, at);
  assert.ok(Math.abs(counting[0]! - (1 * 1 + 2 * 2 + 1 * 4) / 4) < 1e-14);
  const integrating = polychromaticIntensity(spectrum, at, "energy-integrating");
  assert.ok(Math.abs(integrating[2]! - (10 * 1 + 40 * 2 + 40 * 4) / (10 + 40 + 40)) < 1e-14);
  assert.throws(() => polychromaticIntensity({ energiesKeV: [10], weights: [0] }, at), /no weight/);
  assert.throws(() => polychromaticIntensity({ energiesKeV: [10, 20], weights: [1] }, at), /as many weights/);
});

test.run();
