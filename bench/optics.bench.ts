/**
 * Cost of the optics layer: every library material at 2,000 energies (1-200 keV).
 *   - opticsTable: the columnar evaluator (what the engine uses), no allocation per energy;
 *   - materialOptics per energy: the record API (one object per energy), as a baseline;
 *   - peer: the same quantities from xraylib's C library driven from Python, if installed.
 */
import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Bench } from "tinybench";
import { logEnergyGrid } from "../src/materials/contrastEnergy.js";
import { elementSymbol } from "../src/materials/elements.js";
import { libraryEntries, materialFromEntry } from "../src/materials/library.js";
import { materialOptics, opticsTable } from "../src/materials/optics.js";

export interface BenchRow {
  name: string;
  medianMs: number;
  samples: number;
}

export async function benchOptics(): Promise<BenchRow[]> {
  const energies = logEnergyGrid(1, 200, 2000);
  const materials = libraryEntries().map((e) => materialFromEntry(e));
  let sink = 0;
  // Warm the lazily parsed element tables so both tasks measure evaluation only.
  for (const m of materials) sink += opticsTable(m, energies).mu[0]!;

  const bench = new Bench({ time: 2000, warmup: true });
  bench.add(`opticsTable: ${materials.length} materials x 2000 energies`, () => {
    for (const m of materials) sink += opticsTable(m, energies).delta[1999]!;
  });
  bench.add(`materialOptics per energy (baseline): ${materials.length} x 2000`, () => {
    for (const m of materials) for (const e of energies) sink += materialOptics(m, e).delta;
  });
  await bench.run();
  const rows: BenchRow[] = bench.tasks.map((t) => {
    const r = t.result;
    if (r.state !== "completed") throw new Error(`${t.name}: ${r.state}`);
    return { name: t.name, medianMs: r.latency.p50, samples: r.latency.samplesCount };
  });
  if (sink === 42) console.log("");

  const peer = peerXraylib(materials.map((m) => ({
    name: m.name,
    density: m.densityGcm3,
    elements: m.composition.map((c) => [elementSymbol(c.z), c.z, c.massFraction]),
  })));
  if (peer !== undefined) rows.push(peer);
  return rows;
}

/** xraylib from Debian's Python, the tool many beamline scripts use, on the same work. */
function peerXraylib(materials: unknown[]): BenchRow | undefined {
  const python = "/usr/bin/python3";
  const script = fileURLToPath(new URL("../../bench/peers/xraylib_optics.py", import.meta.url));
  if (!existsSync(python) || !existsSync(script)) return undefined;
  const dir = mkdtempSync(join(tmpdir(), "xtwin-bench-"));
  const input = join(dir, "materials.json");
  writeFileSync(input, JSON.stringify(materials));
  const r = spawnSync(python, [script, input, "2000"], { encoding: "utf8" });
  if (r.status !== 0) {
    console.error(`peer xraylib skipped: ${r.stderr.trim().split("\n").pop()}`);
    return undefined;
  }
  return JSON.parse(r.stdout) as BenchRow;
}
