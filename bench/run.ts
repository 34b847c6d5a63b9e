/**
 * Runs xtwin's benchmarks and prints median times with ratios to the first row of each
 * group (its baseline measured in the same run). `npm run bench`.
 */
import { benchOptics, type BenchRow } from "./optics.bench.js";
import { benchProjector } from "./projector.bench.js";

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
