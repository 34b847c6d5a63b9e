/**
 * `xtwin phantom <recipe.yaml> --out <dir> [--size N | --shape nx,ny,nz] [--voxel 0.5um]
 * [--seed N] [--no-tortuosity]`: generate a labelled electrode microstructure and write
 * phantom.h5, particles.csv, stats.json and PNG previews of three orthogonal slices.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { LENGTH_M, parseQuantity } from "../../core/units.js";
import { writeFileAtomic } from "../../io/atomicFile.js";
import { writePhantomFile } from "../../io/phantomFile.js";
import { generatePhantom, type GeneratedPhantom } from "../../phantoms/microstructure/generate.js";
import { microstructurePreview } from "../../phantoms/microstructure/preview.js";
import { parseRecipe } from "../../phantoms/recipe.js";
import { wholeNumber } from "../options.js";
import { UsageError } from "../usageError.js";

export interface PhantomOptions {
  out?: string;
  size?: string;
  shape?: string;
  voxel?: string;
  seed?: string;
  tortuosity?: boolean;
}

/** particles.csv: one row per particle, SI units. */
export function particlesCsv(g: GeneratedPhantom): string {
  const header = "id,material,kind,x_m,y_m,z_m,a_m,b_m,c_m,equivalent_diameter_m,volume_m3,grain_count,cracked,agglomerate";
  const rows = g.microstructure.particles.map((p) =>
    [
      p.id,
      p.material,
      p.kind,
      ...p.center.map((v) => v.toExponential(6)),
      ...p.semiAxes.map((v) => v.toExponential(6)),
      p.equivalentDiameterM.toExponential(6),
      p.volumeM3.toExponential(6),
      p.grainCount,
      p.cracked ? 1 : 0,
      p.agglomerate,
    ].join(","),
  );
  return [header, ...rows].join("\n") + "\n";
}

/** stats.json: the first electrode's statistics at the top level, every electrode listed. */
export function statsJson(g: GeneratedPhantom, legend: unknown): string {
  const first = g.electrodes[0];
  const electrodes = g.electrodes.map((e) => {
    const layer = g.recipe.layers[e.layer]!;
    const targets =
      layer.type === "electrode"
        ? {
            volumeFractions: Object.fromEntries([
              ...layer.particles.map((p) => [p.material, p.volumeFraction] as const),
              ...(layer.cbd ? [[layer.cbd.material, layer.cbd.volumeFraction] as const] : []),
            ]),
            d50M: layer.particles[0]!.d50,
          }
        : null;
    const { tortuosityDetail, ...stats } = e.stats;
    return {
      layer: e.layer,
      zRangeM: [e.range.z0M, e.range.z1M],
      particles: e.particles,
      packedActiveFraction: e.packedFraction,
      maxOverlap: e.maxOverlap,
      targets,
      ...stats,
      tortuosityIterations: tortuosityDetail?.iterations ?? null,
      tortuosityCropVoxels: tortuosityDetail ? [tortuosityDetail.cropGrid.nx, tortuosityDetail.cropGrid.ny, tortuosityDetail.cropGrid.nz] : null,
    };
  });
  const { nx, ny, nz, voxelSizeM } = g.microstructure.grid;
  return (
    JSON.stringify(
      {
        name: g.recipe.name,
        seed: g.seed,
        shape: [nx, ny, nz],
        voxelSizeM,
        classNames: g.microstructure.classNames,
        volumeFractions: first?.stats.volumeFractions ?? null,
        porosity: first?.stats.porosity ?? null,
        d50M: first?.stats.d50M ?? null,
        specificSurfaceM2perM3: first?.stats.specificSurfaceM2perM3 ?? null,
        tortuosity: first?.stats.tortuosity ?? null,
        electrodes,
        layers: g.layers.map((l) => ({ type: l.type, zRangeM: [l.range.z0M, l.range.z1M] })),
        legend,
        timingsS: g.timings,
      },
      null,
      2,
    ) + "\n"
  );
}

export async function phantomCommand(path: string, options: PhantomOptions, err: NodeJS.WritableStream): Promise<string> {
  if (options.out === undefined) throw new UsageError("phantom: --out <dir> is required");
  if (options.size !== undefined && options.shape !== undefined) throw new UsageError("phantom: give --size or --shape, not both");
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new UsageError(`cannot read recipe "${path}"`);
  }
  const recipe = parseRecipe(text, path);
  let shape: [number, number, number] | undefined;
  if (options.size !== undefined) {
    const n = wholeNumber(options.size, "--size");
    shape = [n, n, n];
  } else if (options.shape !== undefined) {
    const parts = options.shape.split(",").map((s) => s.trim());
    if (parts.length !== 3) throw new UsageError(`--shape: expected nx,ny,nz such as 256,256,184, got "${options.shape}"`);
    shape = parts.map((p, i) => wholeNumber(p, `--shape ${"xyz"[i]}`)) as [number, number, number];
  }
  const voxelSizeM = options.voxel === undefined ? undefined : parseQuantity(options.voxel, LENGTH_M, "--voxel");
  if (voxelSizeM !== undefined && !(voxelSizeM > 0)) throw new UsageError(`--voxel: expected a positive length, got "${options.voxel}"`);
  const seed = options.seed === undefined ? 0 : wholeNumber(options.seed, "--seed", 0, 2 ** 32 - 1);
  try {
    mkdirSync(options.out, { recursive: true });
  } catch (e) {
    throw new UsageError(`--out: cannot write to "${options.out}" (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }

  let generated: GeneratedPhantom;
  try {
    generated = generatePhantom(recipe, {
      seed,
      ...(shape ? { shape } : {}),
      ...(voxelSizeM !== undefined ? { voxelSizeM } : {}),
      tortuosity: options.tortuosity !== false,
      onStage: (stage) => err.write(`${stage}...\n`),
    });
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(e.message);
    throw e;
  }
  err.write("writing...\n");
  const out = options.out;
  await writePhantomFile(join(out, "phantom.h5"), generated.microstructure, { name: recipe.name, recipe: recipe.source, seed });
  writeFileAtomic(join(out, "particles.csv"), particlesCsv(generated));
  const preview = microstructurePreview(generated.microstructure);
  const files = ["phantom.h5", "particles.csv", "stats.json"];
  for (const image of preview.images) {
    const name = `preview-${image.name}.png`;
    writeFileAtomic(join(out, name), image.png);
    files.push(name);
  }
  writeFileAtomic(join(out, "stats.json"), statsJson(generated, preview.legend));
  const e = generated.electrodes[0];
  const summary = e
    ? `porosity ${e.stats.porosity.toFixed(3)}, D50 ${(e.stats.d50M * 1e6).toFixed(2)} um, ` +
      `tortuosity ${e.stats.tortuosity === null ? "not computed" : e.stats.tortuosity.toFixed(2)}, ${e.particles} particles`
    : `${generated.microstructure.particles.length} particles`;
  return `wrote ${files.map((f) => join(out, f)).join(", ")}\n${recipe.name}: ${summary}`;
}
