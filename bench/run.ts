/**
 * Runs xtwin's benchmarks and prints median times with ratios to the first row of each
 * group (its baseline measured in the same run). `npm run bench`.
 */
import { benchOptics, type BenchRow } from "./optics.bench.js";
import { benchConeBeam, benchProjector, benchRadon, CONE, RADON } from "./projector.bench.js";
import { benchFbp, FBP_BENCH, type FbpBenchRow } from "./fbp.bench.js";
import { benchSegmentation } from "./segmentation.bench.js";
import { benchIterative } from "./iterative.bench.js";
import { benchFresnel, FRESNEL_BENCH } from "./fresnel.bench.js";
import { benchThermal } from "./thermal.bench.js";
import { benchDataset, DATASET_BENCH } from "./dataset.bench.js";

function report(title: string, rows: BenchRow[], baselineIndex: number): void {
  const base = rows[baselineIndex]!.medianMs;
  console.log(`\n${title}`);
  const width = Math.max(...rows.map((r) => r.name.length));
  rows.forEach((r, i) => {
    const ratio = base / r.medianMs;
    const versus =
      i === baselineIndex
        ? "baseline"
        : ratio >= 1
          ? `${ratio.toFixed(2)}x faster than baseline`
          : `${(1 / ratio).toFixed(2)}x slower than baseline`;
    console.log(
      `  ${r.name.padEnd(width)}  median ${r.medianMs.toFixed(2).padStart(9)} ms  (${r.samples} samples)  ${versus}`,
    );
  });
}

const optics = await benchOptics();
report("Optics of the whole material library at 2,000 energies", optics, 1);

const projector = await benchProjector();
report("Projector: 128^3 volume, 128 x 128 pixels, 32 angles (524,288 rays)", projector, 0);
for (const r of projector) {
  console.log(
    `  ${r.name}: ${(r.raysPerSecond / 1e6).toFixed(2)} Mrays/s, ${(r.voxelStepsPerSecond / 1e6).toFixed(0)} M voxel steps/s ` +
      `(${r.voxelStepsPerRay.toFixed(1)} voxels per ray)`,
  );
}

const cone = await benchConeBeam();
const coneTimed = cone[0]!.projectionsTimed;
report(
  `Cone beam: ${CONE.n}^3 volume, ${CONE.n} x ${CONE.n} pixels, SOD ${CONE.sodM * 1e3} mm, SDD ${CONE.sddM * 1e3} mm; ` +
    `timed: ${coneTimed} of ${CONE.projections} angles (every ${CONE.timedEvery}th, ${(coneTimed * CONE.n * CONE.n).toLocaleString("en-US")} rays)`,
  cone,
  0,
);
for (const r of cone) {
  console.log(
    `  ${r.name}: ${(r.raysPerSecond / 1e6).toFixed(2)} Mrays/s, ${(r.voxelStepsPerSecond / 1e6).toFixed(0)} M voxel steps/s ` +
      `(${r.voxelStepsPerRay.toFixed(1)} voxels per ray); ${r.perProjectionMs.toFixed(1)} ms per projection, ` +
      `full ${CONE.projections}-projection scan extrapolated (not measured): ${(r.fullScanMs / 1000).toFixed(1)} s`,
  );
}

const radon = await benchRadon();
report(
  `Parallel beam vs scikit-image radon: ${RADON.slices} slices of ${RADON.n}^2 (Gaussians), ${RADON.angles} angles over 180 deg, ${RADON.n} columns`,
  radon,
  0,
);
for (const r of radon) {
  console.log(`  ${r.name}: ${(r.raysPerSecond / 1e6).toFixed(2)} Mrays/s, RMS error vs analytic sinogram ${(100 * r.relRms).toFixed(3)}% of RMS`);
}
const xtwin1 = radon[0]!;
const peers = radon.filter((r) => r.name.startsWith("peer:"));
if (peers.length === 0) console.log("  (peer skipped: python3-skimage not available)");
for (const p of peers) {
  console.log(
    `  xtwin 1 thread is ${(p.medianMs / xtwin1.medianMs).toFixed(1)}x faster than ${p.name.replace(/^peer: /, "")} ` +
      `(target >= 20x; accuracy ${(100 * xtwin1.relRms).toFixed(3)}% vs ${(100 * p.relRms).toFixed(3)}%)`,
  );
}

const fbp: FbpBenchRow[] = await benchFbp();
const slices = fbp.filter((r) => !r.name.includes("3-D"));
report(`Filtered back-projection: ${FBP_BENCH.n}^2 Shepp-Logan from ${FBP_BENCH.angles} angles, vs scikit-image iradon`, slices, 0);
for (const r of slices) if (r.rmse !== undefined) console.log(`  ${r.name}: RMSE ${r.rmse.toFixed(2)} 1/m inside the circle`);
const xtwinRamp = slices[0]!;
for (const p of slices.filter((r) => r.name.startsWith("peer:"))) {
  console.log(`  xtwin 1 thread is ${(p.medianMs / (p.name.includes("ramp") ? xtwinRamp : slices[1]!).medianMs).toFixed(1)}x faster than ${p.name.replace(/^peer: /, "")} (target >= 10x)`);
}
report(`Filtered back-projection of a volume: ${FBP_BENCH.volumeN}^3 from ${FBP_BENCH.volumeAngles} projections`, fbp.filter((r) => r.name.includes("3-D")), 0);

report("Segmentation of a 128^3 volume of packed spheres", await benchSegmentation(), 0);
report("Iterative reconstruction: 64^3, 64 x 64 pixels, 32 angles", await benchIterative(), 0);

const fresnel = await benchFresnel();
report(`Fresnel propagation of a ${FRESNEL_BENCH.n} x ${FRESNEL_BENCH.n} complex field (no padding), vs numpy.fft`, fresnel, 0);
const numpy = fresnel.find((r) => r.name.startsWith("peer:"));
if (numpy) console.log(`  xtwin fresnelPropagate takes ${(fresnel[0]!.medianMs / numpy.medianMs).toFixed(2)}x numpy's time (target <= 1.5x)`);

const thermal = await benchThermal();
report("Heat solver: backward Euler + Jacobi-PCG on a 128^3 grid", thermal, 0);

const dataset = await benchDataset();
report(`xtwin dataset: ${DATASET_BENCH.samples} samples of scenarios/training-particles-2d.yaml (512 x 512) per run; median time per sample`, dataset, 0);
for (const r of dataset) console.log(`  ${r.name}: ${r.samplesPerMinute.toFixed(2)} samples/min (median), ${r.overallPerMinute.toFixed(2)} samples/min over the whole run`);
