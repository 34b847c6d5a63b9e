/**
 * Timing of the microstructure voxel stages at 512^3 with ~2,000 synthetic particles (not a
 * packing: a jittered lattice, so neighbours overlap a little as after a real packing).
 *
 *   npm run build && node dist/bench/microstructure512.js [n] [particles] [grains]
 *
 * grains: grain count of every particle (default 255: NMC secondary particles of ~20 um
 * with ~1.5 um primary grains hit the uint8 cap); 0 draws 20-200 at random.
 * Reports wall and CPU time per stage (the CPU time is the figure to compare on a shared
 * machine).
 */
import type { Vec3 } from "../src/core/grid.js";
import { createRandom } from "../src/core/random.js";
import { rotationFromEuler } from "../src/core/rotation.js";
import { placeCbd } from "../src/phantoms/microstructure/cbd.js";
import { buildLayerStack } from "../src/phantoms/microstructure/layers.js";
import { createMicrostructure, rasterizeParticles } from "../src/phantoms/microstructure/rasterize.js";
import type { Particle } from "../src/phantoms/microstructure/types.js";

const n = Number(process.argv[2] ?? 512);
const target = Number(process.argv[3] ?? 2000);
const GRAINS = Number(process.argv[4] ?? 255);
const s = 0.5e-6;
const grid = { nx: n, ny: n, nz: n, voxelSizeM: s };
const classes = ["LP30", "NMC811", "CBD", "aluminium", "PE-separator"];
const time = <T>(label: string, f: () => T): T => {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = f();
  const cpu = process.cpuUsage(c0);
  console.log(
    `${label.padEnd(28)} ${((performance.now() - t0) / 1000).toFixed(2)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s cpu`,
  );
  return r;
};

const rng = createRandom(7);
const foilVox = Math.round(n / 32);
const electrodeVox = n - foilVox;
// Body-centred cubic lattice (two particles per cell), jittered: c x c cells in-plane, cz in z.
const cell = Math.cbrt((2 * n * n * electrodeVox) / target);
const cxy = Math.max(1, Math.round(n / cell)), cz = Math.max(1, Math.round(target / (2 * cxy * cxy)));
const pitchXY = n / cxy, pitchZ = electrodeVox / cz;
// Mean radius for a nominal solid fraction of 0.6 (BCC spheres touch at 0.68).
const rMean = Math.cbrt((0.6 * 3 * pitchXY * pitchXY * pitchZ) / (8 * Math.PI));
const particles: Particle[] = [];
for (let k = 0; k < cz; k++) {
  for (let j = 0; j < cxy; j++) {
    for (let i = 0; i < cxy; i++) {
      for (const half of [0, 0.5]) {
        const id = particles.length + 1;
        const r = rMean * (0.92 + 0.16 * rng.next());
        const ellipsoid = rng.next() < 0.3;
        const semi: Vec3 = ellipsoid ? [r * 1.12, r, r * 0.8] : [r, r, r];
        const jitter = (): number => (rng.next() - 0.5) * 0.04 * pitchXY;
        const centreIdx: Vec3 = [
          (i + 0.25 + half) * pitchXY + jitter(), (j + 0.25 + half) * pitchXY + jitter(), foilVox + (k + 0.25 + half) * pitchZ + jitter(),
        ];
        particles.push({
          id,
          material: "NMC811",
          kind: "active",
          center: [(centreIdx[0] - (n - 1) / 2) * s, (centreIdx[1] - (n - 1) / 2) * s, (centreIdx[2] - (n - 1) / 2) * s],
          semiAxes: [semi[0] * s, semi[1] * s, semi[2] * s],
          rotation: rotationFromEuler([rng.next() * 6.28, rng.next() * 6.28, rng.next() * 6.28]),
          grainCount: GRAINS > 0 ? GRAINS : 20 + Math.floor(rng.next() * 181),
          internalPorosity: rng.next() < 0.3 ? 0.03 : 0,
          cracked: rng.next() < 0.1,
          agglomerate: 0,
        });
      }
    }
  }
}
console.log(`${n}^3 voxels, ${particles.length} particles, mean grains ${(particles.reduce((a, p) => a + p.grainCount, 0) / particles.length).toFixed(0)}`);
const heap0 = process.memoryUsage();
const t0 = performance.now();
let ms = time("createMicrostructure", () => createMicrostructure(grid, classes));
const stack = time("layers", () =>
  buildLayerStack(ms, [
    { kind: "foil", name: "foil", label: 3, thicknessM: foilVox * s },
    { kind: "electrode", name: "cathode", thicknessM: electrodeVox * s },
  ], { poreLabel: 0, rng }),
);
ms = time("rasterizeParticles", () => rasterizeParticles(ms, particles, { classOf: () => 1, poreLabel: 0, rng, keepLabels: [3] }));
const cathode = stack.ranges.get("cathode")!;
const cbd = time("placeCbd (0.10)", () =>
  placeCbd(ms, particles, { cbdLabel: 2, poreLabel: 0, targetFraction: 0.1, zRange: cathode, rng }),
);
console.log(`total                        ${((performance.now() - t0) / 1000).toFixed(2)} s`);
const heap1 = process.memoryUsage();
let solid = 0;
for (let v = 0; v < ms.labels.length; v++) if (ms.labels[v] === 1) solid++;
console.log(`solid fraction ${(solid / ms.labels.length).toFixed(3)}, CBD fraction of cathode ${cbd.fraction.toFixed(4)}, reach ${(cbd.reachM / s).toFixed(1)} vox, threshold d2 ${(cbd.thresholdSecondDistanceM / s).toFixed(2)} vox`);
console.log(
  `typed arrays ${((heap1.arrayBuffers - heap0.arrayBuffers) / ms.labels.length).toFixed(2)} bytes/voxel at the end ` +
    `(6 persistent + 2 of CBD scratch not yet collected), rss ${(heap1.rss / 2 ** 30).toFixed(2)} GiB`,
);
