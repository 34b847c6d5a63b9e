/**
 * From a recipe to a labelled microstructure: layers along z (bottom to top), particle
 * packings in the electrode layers, primary grains, carbon-binder in the necks, voids,
 * lithium metal with SEI and mossy deposits, then the statistics a battery scientist checks.
 *
 * One seeded stream drives everything, in a fixed order, so the same recipe, grid and seed
 * give identical volumes.
 */
import type { VolumeGrid } from "../../core/grid.js";
import { createRandom, type Random } from "../../core/random.js";
import type { ElectrodeLayer, Recipe, RecipeLayer } from "../recipe.js";
import { layerThickness } from "../recipe.js";
import type { Material } from "../../materials/library.js";
import { placeCbd } from "./cbd.js";
import { buildLayerStack, type LayerRange, type LayerSpec } from "./layers.js";
import { buildLithiumAnode } from "./lithium.js";
import { stampBall } from "./stamp.js";
import { packParticles, volumeFraction, type PopulationSpec } from "./packing.js";
import { addAgglomerates } from "./particleDefects.js";
import { createMicrostructure, rasterizeParticles } from "./rasterize.js";
import { microstructureStats, type MicrostructureStats } from "./stats.js";
import type { Microstructure, Particle } from "./types.js";

export interface GenerateOptions {
  readonly seed: number;
  /** Override the recipe's grid shape [nx, ny, nz]. */
  readonly shape?: readonly [number, number, number];
  /** Override the recipe's voxel size (m). */
  readonly voxelSizeM?: number;
  /** Called as each stage starts. */
  readonly onStage?: (stage: string) => void;
  /** Compute the tortuosity factor of the pores (the slowest statistic; default true). */
  readonly tortuosity?: boolean;
}

/** What was asked and what was achieved in one electrode layer. */
export interface ElectrodeReport {
  readonly layer: number;
  readonly range: LayerRange;
  readonly particles: number;
  readonly packedFraction: number;
  readonly maxOverlap: number;
  readonly cbdFraction: number | null;
  readonly stats: MicrostructureStats;
}

export interface GeneratedPhantom {
  readonly recipe: Recipe;
  readonly seed: number;
  readonly microstructure: Microstructure;
  /** Material of each class, index = label. */
  readonly materials: readonly Material[];
  readonly layers: readonly { readonly type: RecipeLayer["type"]; readonly range: LayerRange }[];
  readonly electrodes: readonly ElectrodeReport[];
  /** Seconds per stage. */
  readonly timings: Readonly<Record<string, number>>;
}

function populationsOf(layer: ElectrodeLayer, boxVolumeM3: number, voxelSizeM: number): PopulationSpec[] {
  const pops: PopulationSpec[] = layer.particles.map((p) => ({
    material: p.material,
    kind: "active",
    volumeFraction: p.volumeFraction,
    // Particles under two voxels across cannot be resolved; particles whose longest axis
    // exceeds the layer cannot fit in it (a coating is at least as thick as its largest
    // particles): neither is drawn.
    size: { d50M: p.d50, span: p.span, minDiameterM: 2 * voxelSizeM, maxDiameterM: 0.95 * layer.thickness * flatness(p.shape) },
    shape:
      p.shape === "sphere"
        ? { type: "sphere" }
        : {
            type: "ellipsoid",
            bOverA: p.shape.ellipsoid[1] / p.shape.ellipsoid[0],
            cOverA: p.shape.ellipsoid[2] / p.shape.ellipsoid[0],
            orientation: p.alignment > 0 ? { type: "fisher", kappa: p.alignment } : { type: "isotropic" },
          },
    ...(p.grainSize !== undefined ? { grains: { meanGrainDiameterM: p.grainSize } } : {}),
    internalPorosity: p.internalPorosity,
    crackedFraction: p.crackedFraction,
  }));
  // Metallic impurities: a given number of particles of one diameter (span 0).
  for (const imp of layer.impurities) {
    if (imp.count === 0) continue;
    const volume = (imp.count * Math.PI * imp.diameter ** 3) / 6;
    pops.push({ material: imp.material, kind: "impurity", volumeFraction: volume / boxVolumeM3, size: { d50M: imp.diameter, span: 0 } });
  }
  return pops;
}

/** Equivalent diameter over longest axis of a shape: (b/a c/a)^(1/3) with a the longest. */
function flatness(shape: ElectrodeLayer["particles"][number]["shape"]): number {
  if (shape === "sphere") return 1;
  const [a, b, c] = shape.ellipsoid;
  const longest = Math.max(a, b, c);
  return Math.cbrt((a * b * c) / longest ** 3);
}

/**
 * Closed voids: balls of a given size dropped at random over the pore voxels of a layer
 * until their volume fraction is reached (overshooting by at most one ball).
 */
function placeVoids(ms: Microstructure, range: LayerRange, poreLabel: number, voidLabel: number, fraction: number, sizeM: number, rng: Random): number {
  const { nx, ny } = ms.grid;
  const layerVoxels = nx * ny * (range.k1 - range.k0);
  const target = Math.round(fraction * layerVoxels);
  const r = Math.max(0.5, sizeM / (2 * ms.grid.voxelSizeM));
  let placed = 0;
  for (let misses = 0; placed < target && misses < 100000; ) {
    const added = stampBall(
      ms, rng.next() * nx, rng.next() * ny, range.k0 + rng.next() * (range.k1 - range.k0), r,
      range.k0, range.k1, poreLabel, voidLabel, 0, 0, true,
    );
    if (added === 0) misses++;
    placed += added;
  }
  return placed / layerVoxels;
}

export function generatePhantom(recipe: Recipe, options: GenerateOptions): GeneratedPhantom {
  const timings: Record<string, number> = {};
  let t = performance.now();
  const lap = (stage: string) => {
    const now = performance.now();
    timings[stage] = (timings[stage] ?? 0) + (now - t) / 1000;
    t = now;
  };
  const [nx, ny, nz] = options.shape ?? recipe.shape;
  const grid: VolumeGrid = { nx, ny, nz, voxelSizeM: options.voxelSizeM ?? recipe.voxelSizeM };
  const s = grid.voxelSizeM;
  const stack = recipe.layers.reduce((sum, l) => sum + layerThickness(l), 0);
  if (stack > nz * s * (1 + 1e-9)) {
    throw new RangeError(
      `the recipe's layers are ${+(stack * 1e6).toFixed(3)} um thick but the volume is only ${+(nz * s * 1e6).toFixed(3)} um tall (nz ${nz} x ${s * 1e6} um)`,
    );
  }
  const rng = createRandom(options.seed);

  // Classes: the material above the stack is class 0, then every material in recipe order.
  const classNames = [recipe.top, ...[...recipe.materials.keys()].filter((n) => n !== recipe.top)];
  const label = (name: string) => {
    const i = classNames.indexOf(name);
    if (i < 0) throw new Error(`recipe material "${name}" has no class`);
    return i;
  };
  let ms = createMicrostructure(grid, classNames);

  // Layers bottom to top. A lithium layer is its dense lithium plus the mossy zone above it.
  options.onStage?.("layers");
  const specs: LayerSpec[] = recipe.layers.flatMap((l, i): LayerSpec[] => {
    const name = `${l.type}-${i}`;
    switch (l.type) {
      case "foil":
        return [{ kind: "foil", name, thicknessM: l.thickness, label: label(l.material), ...(l.burrs ? { burrs: { count: l.burrs.count, heightM: l.burrs.height, baseRadiusM: l.burrs.radius, side: "both" as const } } : {}) }];
      case "separator":
        return [
          {
            kind: "separator",
            name,
            thicknessM: l.thickness,
            label: label(l.material),
            ...(l.pinholes ? { pinholes: { count: l.pinholes.count, diameterM: l.pinholes.diameter } } : {}),
          },
        ];
      case "electrode":
        return [{ kind: "fill", name, thicknessM: l.thickness, label: label(l.pore) }];
      case "fill":
        return [{ kind: "fill", name, thicknessM: l.thickness, label: label(l.material) }];
      case "lithium":
        return [
          { kind: "fill", name, thicknessM: l.thickness, label: label("lithium") },
          { kind: "fill", name: `${name}-mossy`, thicknessM: l.mossy.height, label: label(l.mossy.pore) },
        ];
    }
  });
  // The stack's electrolyte (first electrode's pore class, else the material on top) fills pinholes.
  const firstElectrode = recipe.layers.find((l): l is ElectrodeLayer => l.type === "electrode");
  const electrolyte = label(firstElectrode?.pore ?? recipe.top);
  const built = buildLayerStack(ms, specs, { poreLabel: electrolyte, rng, periodic: true });
  const layers = recipe.layers.map((l, i) => {
    const name = `${l.type}-${i}`;
    const range = built.ranges.get(name)!;
    const top = l.type === "lithium" ? built.ranges.get(`${name}-mossy`)! : range;
    return { type: l.type, range: { ...range, z1M: top.z1M, k1: top.k1 } };
  });
  lap("layers");

  // Particles of every electrode, packed per layer, stamped in one pass (fair contacts).
  options.onStage?.("packing");
  const electrodeLayers = recipe.layers
    .map((l, i) => ({ l, i }))
    .filter((e): e is { l: ElectrodeLayer; i: number } => e.l.type === "electrode");
  const allParticles: Particle[] = [];
  const packed: { layer: number; particles: number; fraction: number; maxOverlap: number }[] = [];
  const hx = (nx * s) / 2;
  const hy = (ny * s) / 2;
  for (const { l, i } of electrodeLayers) {
    const range = layers[i]!.range;
    const box = { min: [-hx, -hy, range.z0M] as const, max: [hx, hy, range.z1M] as const };
    const boxVolume = 4 * hx * hy * (range.z1M - range.z0M);
    let packing = packParticles({ box, populations: populationsOf(l, boxVolume, s), overlapTolerance: l.overlapTolerance }, rng);
    if (l.agglomerates && l.agglomerates.count > 0) {
      // Clusters of small primary particles of the layer's first material, inserted whole.
      packing = addAgglomerates(
        packing,
        {
          material: l.particles[0]!.material,
          count: l.agglomerates.count,
          particlesPerAgglomerate: Math.max(2, l.agglomerates.particles),
          size: { d50M: l.agglomerates.d50, span: 0.5, minDiameterM: 2 * s },
        },
        rng,
        { overlapTolerance: l.overlapTolerance },
      );
    }
    const offset = allParticles.length;
    for (const p of packing.particles) allParticles.push({ ...p, id: p.id + offset });
    packed.push({
      layer: i,
      particles: packing.particles.length,
      fraction: volumeFraction(packing, (p) => p.kind === "active"),
      maxOverlap: packing.maxOverlap,
    });
  }
  lap("packing");
  options.onStage?.("rasterizing");
  const keep = recipe.layers.flatMap((l) => (l.type === "foil" || l.type === "separator" ? [label(l.material)] : []));
  if (allParticles.length > 0) {
    // Per-layer pore classes can differ; the first electrode's pore class fills cracks and
    // internal pores (recipes with several electrodes share one electrolyte).
    const poreLabel = label(electrodeLayers[0]!.l.pore);
    ms = rasterizeParticles(ms, allParticles, { classOf: label, poreLabel, rng, periodic: true, keepLabels: keep });
  }
  lap("rasterizing");

  // Carbon-binder in the necks, then voids, layer by layer.
  options.onStage?.("cbd");
  const cbdFractions = new Map<number, number>();
  for (const { l, i } of electrodeLayers) {
    const range = layers[i]!.range;
    const zRange = { k0: range.k0, k1: range.k1 };
    if (l.cbd) {
      const particles = allParticles.filter((p) => p.center[2] >= range.z0M && p.center[2] < range.z1M);
      const result = placeCbd(ms, particles, { poreLabel: label(l.pore), cbdLabel: label(l.cbd.material), targetFraction: l.cbd.volumeFraction, zRange, rng, periodic: true });
      cbdFractions.set(i, result.fraction);
    }
    if (l.voids) placeVoids(ms, range, label(l.pore), label(l.voids.material), l.voids.volumeFraction, l.voids.size, rng);
  }
  lap("cbd");

  // Lithium metal: SEI on the surface, mossy deposits into the zone above.
  for (const [i, l] of recipe.layers.entries()) {
    if (l.type !== "lithium") continue;
    options.onStage?.("lithium");
    const name = `${l.type}-${i}`;
    const result = buildLithiumAnode(ms, {
      lithiumRange: built.ranges.get(name)!,
      lithiumLabel: label("lithium"),
      seiLabel: label(l.sei.material),
      poreLabel: label(l.mossy.pore),
      seiThicknessM: l.sei.thickness,
      mossy: { heightM: l.mossy.height, volumeFraction: l.mossy.volumeFraction },
      rng,
      periodic: true,
    });
    ms = result.microstructure;
    lap("lithium");
  }

  // Statistics of each electrode layer.
  options.onStage?.("statistics");
  const electrodes: ElectrodeReport[] = electrodeLayers.map(({ l, i }) => {
    const range = layers[i]!.range;
    const pores = [l.pore];
    const stats = microstructureStats(ms, {
      poreClasses: pores,
      zRange: { k0: range.k0, k1: range.k1 },
      periodicXY: true,
      particleMaterials: l.particles.map((p) => p.material),
      tortuosity: options.tortuosity === false ? false : { classes: pores, cropXY: 128 },
    });
    const p = packed.find((x) => x.layer === i)!;
    return {
      layer: i,
      range,
      particles: p.particles,
      packedFraction: p.fraction,
      maxOverlap: p.maxOverlap,
      cbdFraction: cbdFractions.get(i) ?? null,
      stats,
    };
  });
  lap("statistics");

  return {
    recipe,
    seed: options.seed,
    microstructure: ms,
    materials: classNames.map((n) => recipe.materials.get(n)!),
    layers,
    electrodes,
    timings,
  };
}
