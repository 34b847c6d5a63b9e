#!/usr/bin/env node
/** The `xtwin` command. */
import { Command, CommanderError } from "commander";
import { materialsCommand } from "./commands/materials.js";
import { opticsCommand, type OpticsOptions } from "./commands/optics.js";
import { runCommand, type RunOptions } from "./commands/run.js";
import { checkCommand } from "./commands/check.js";
import { phantomCommand, type PhantomOptions } from "./commands/phantom.js";
import { reconstructCommand, type ReconstructOptions } from "./commands/reconstruct.js";
import { segmentCommand, type SegmentOptions } from "./commands/segment.js";
import { retrievePhaseCommand, type RetrievePhaseOptions } from "./commands/retrievePhase.js";
import { planCommand, type PlanOptions } from "./commands/plan.js";
import { validateCommand, type ValidateOptions } from "./commands/validate.js";
import { reportCommand, type ReportOptions } from "./commands/report.js";
import { datasetCommand, datasetMergeCommand, type DatasetOptions } from "./commands/dataset.js";
import { ValidationError as ScenarioError } from "../core/validation.js";
import { UsageError } from "./usageError.js";
import { XTWIN_VERSION } from "../version.js";
import { QuantityError } from "../core/units.js";
import { FormulaError } from "../materials/formula.js";
import { UnknownMaterialError } from "../materials/library.js";

/** Run the CLI on `argv` (without node and script); returns the exit code. */
export async function main(
  argv: readonly string[],
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  const print = (text: string): void => {
    out.write(text.endsWith("\n") ? text : text + "\n");
  };
  const program = new Command()
    .name("xtwin")
    .description("X-ray imaging digital twin for battery electrodes")
    .version(XTWIN_VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => out.write(s), writeErr: (s) => err.write(s) });

  program
    .command("materials")
    .description("list the material library (composition, density, thermal constants, sources)")
    .option("--json", "print JSON with sources and elemental mass fractions")
    .action((o: { json?: boolean }) => print(materialsCommand(o)));

  program
    .command("optics")
    .description("x-ray optical constants: mu/rho by process, mu_en/rho, mu, delta, beta")
    .option("--material <name|formula>", "library material or chemical formula")
    .option("--density <g/cm3>", "density (required for a formula not in the library)")
    .option("--energy <keV,...>", "photon energies, 1-200 keV, e.g. 8,20,30")
    .option("--library", "every library material at the given energies")
    .option("--contrast <A,B>", "find the dose-efficient energy to tell A from B")
    .option("--thickness <length>", "sample thickness for --contrast, e.g. \"1 mm\"")
    .option("--detail <length>", "detail thickness for --contrast (default 1 um)")
    .option("--pixel <length>", "pixel size for --contrast (default 1 um)")
    .option("--energy-range <lo,hi>", "energies searched by --contrast in keV (default 1,200)")
    .option("--json", "print JSON")
    .action((o: OpticsOptions) => print(opticsCommand(o)));

  program
    .command("run")
    .description("run a scenario end to end: phantom, scan, DXchange dataset with ground truth")
    .argument("<scenario.yaml>", "scenario file")
    .option("--out <dir>", "output directory")
    .option("--seed <n>", "override the scenario's seed")
    .option("--events", "print the event stream as JSON lines on stdout")
    .option("--workers <n>", "worker threads for the projector (0: this thread; default: one per core)")
    .action((path: string, o: RunOptions) => runCommand(path, o, out, err as NodeJS.WriteStream));

  program
    .command("phantom")
    .description("generate an electrode microstructure from a recipe: phantom.h5, particles.csv, stats.json, previews")
    .argument("<recipe.yaml>", "recipe file (see phantoms/)")
    .option("--out <dir>", "output directory")
    .option("--size <n>", "an n x n x n volume instead of the recipe's shape")
    .option("--shape <nx,ny,nz>", "the volume's shape in voxels")
    .option("--voxel <length>", 'voxel size, e.g. "0.5 um"')
    .option("--seed <n>", "random seed (default 0)")
    .option("--no-tortuosity", "skip the tortuosity solve (the slowest statistic)")
    .action(async (path: string, o: PhantomOptions) => print(await phantomCommand(path, o, err)));

  const log = (line: string): void => {
    err.write(line + "\n");
  };

  program
    .command("reconstruct")
    .description("reconstruct a DXchange scan: flat/dark, -log, rings, centre, FBP / FDK / laminography / SIRT / CGLS -> /exchange/recon")
    .argument("<in.h5>", "DXchange file (xtwin's or any writer's)")
    .option("--out <recon.h5>", "output HDF5 file")
    .option("--algorithm <name>", "fbp | fdk | sirt | cgls (fbp on a tilted scan runs laminographic FBP)", "fbp")
    .option("--filter <name>", "ram-lak | shepp-logan | cosine | hamming | hann", "shepp-logan")
    .option("--iterations <n>", "SIRT / CGLS iterations (default 50 / 15)")
    .option("--center <auto|px>", "rotation centre: the file's geometry (default), auto, or an offset in pixels")
    .option("--rings", "remove ring artifacts (sorting-based stripe removal, Vo et al. 2018)")
    .option("--data <kind>", "what /exchange/data holds: counts | transmission | line-integrals (default: from its units attribute, else counts)")
    .option("--tiff <stack.tif>", "also write the volume as a float32 TIFF stack (ImageJ/Fiji)")
    .option("--workers <n>", "worker threads for parallel-beam FBP (0: this thread; default: one per core)")
    .action(async (path: string, o: ReconstructOptions) => print(await reconstructCommand(path, o, log)));

  program
    .command("retrieve-phase")
    .description("phase retrieval of propagation-based phase-contrast scans (Paganin, multi-distance CTF, iterative) into line integrals for reconstruct")
    .argument("<in.h5...>", "DXchange scan(s), one per sample-detector distance")
    .option("--out <out.h5>", "output DXchange file of line integrals")
    .option("--method <name>", "paganin (one distance) | ctf | iterative (default: paganin for one file, ctf for several)")
    .option("--delta-beta <R>", "delta/beta of the (dominant) material")
    .option("--material <name>", "take delta/beta from a library material at the scan's energy")
    .option("--alpha <a>", "CTF Tikhonov regularisation (default 1e-3, x 4 M (beta/delta)^2 with a delta/beta)")
    .option("--iterations <n>", "iterations of the iterative method (default 20)")
    .action(async (paths: string[], o: RetrievePhaseOptions) => print(await retrievePhaseCommand(paths, o, log)));

  program
    .command("segment")
    .description("segment a reconstruction: multi-Otsu phases, optional particle instances (distance transform + watershed)")
    .argument("<recon.h5|stack.tif>", "reconstruction (HDF5 /exchange/recon or a TIFF stack)")
    .option("--out <seg.h5>", "output HDF5 file")
    .option("--classes <n>", "number of phases (default 3)")
    .option("--instances", "split one phase into particles")
    .option("--phase <k>", "the phase split into particles (default: the densest)")
    .option("--min-voxels <n>", "smallest particle kept, voxels (default 27)")
    .option("--h <voxels>", "watershed marker height: least distance-map dynamic of a particle (default 2)")
    .option("--min-patch <n>", "phase patches smaller than this join their surroundings (default 0: off)")
    .option("--smooth <sigma>", "Gaussian denoising before the thresholds, sigma in voxels (default 0: none)")
    .option("--tiff <classes.tif>", "also write the class map as a uint8 TIFF stack")
    .action(async (path: string, o: SegmentOptions) => print(await segmentCommand(path, o, log)));

  program
    .command("validate")
    .description("score a reconstruction and/or segmentation against an xtwin dataset's ground truth")
    .option("--truth <run dir|.h5>", "the run directory or its dataset file (with /truth)")
    .option("--recon <file.h5|.tif>", "reconstruction on the truth's grid (any tool's)")
    .option("--seg <seg.h5>", "segmentation written by xtwin segment")
    .option("--json", "print JSON: rmse, psnr, ssim, dice and iou by class, instances {precision, recall, f1, ap}")
    .action(async (o: ValidateOptions) => print(await validateCommand(o)));

  program
    .command("plan")
    .description("dose, dose rate, beam heating and bubbles of a scenario's scan plan, and the largest flux and exposure within limits")
    .argument("<scenario.yaml>", "scenario file (a thermal section adds heating and bubbles)")
    .option("--max-temperature-rise <K>", "largest temperature rise allowed, e.g. 10K", "10K")
    .option("--dose-budget <Gy>", "largest dose allowed anywhere in the sample, e.g. 1e8Gy", "1e8Gy")
    .option("--samples <n>", "projection angles simulated for the dose (default 8)")
    .option("--figures <dir>", "write dose.png and temperature.png (central x-z slices) into dir")
    .option("--scans <n>", "identical scans of an in situ series (cumulative dose x n; heating per scan)")
    .option("--json", "print JSON: maxDoseGy, meanDoseGy, peakDoseRateGyPerS, peakTemperatureRiseK, timeToFirstBubbleS, maxFluxPhotonsPerS, maxExposureS, snr")
    .action((path: string, o: PlanOptions) => print(planCommand(path, o, log)));

  program
    .command("report")
    .description("write a self-contained HTML report of a run: projections, slices with labels, particle sizes, dose, temperature, capacity fade, scores")
    .argument("<run dir>", "the output directory of xtwin run")
    .option("--out <report.html>", "output file (default <run dir>/report.html)")
    .option("--dose-samples <n>", "projection angles simulated for the recomputed dose map (default 8)")
    .action(async (dir: string, o: ReportOptions) => print(await reportCommand(dir, o, log)));

  const dataset = program
    .command("dataset")
    .description("synthetic training data: reconstructed 2-D slices with class and instance masks, COCO and VIA annotations")
    .argument("<scenario.yaml>", "dataset scenario (a scenario with a dataset section, e.g. scenarios/training-particles-2d.yaml)")
    .option("--count <n>", "number of samples in the dataset")
    .option("--out <dir>", "output directory")
    .option("--workers <n>", "worker threads (0: this thread; default: one per core)")
    .option("--shard <i/N>", "make only shard i of N (samples with index % N == i), for xtwin dataset merge")
    .option("--resume", "keep the complete samples already in --out, make the rest")
    .action((path: string, o: DatasetOptions) => datasetCommand(path, o, out, err as NodeJS.WriteStream));
  dataset
    .command("merge")
    .description("join the shards of a dataset (checksums verified) into what the full run writes")
    .argument("<shard dirs...>", "shard output directories")
    .option("--out <dir>", "output directory (new or empty)")
    // Commander hands an --out after "merge" to the parent command, which has one too.
    .action((dirs: string[], o: { out?: string }, cmd: Command) => datasetMergeCommand(dirs, { out: o.out ?? (cmd.parent?.opts() as { out?: string }).out }, out));

  program
    .command("check")
    .description("validate a scenario and print it resolved to SI units")
    .argument("<scenario.yaml>", "scenario file")
    .action((path: string) => print(checkCommand(path)));

  try {
    await program.parseAsync([...argv], { from: "user" });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander has already printed its message (help, version or a usage error).
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof ScenarioError) {
      err.write(`xtwin: ${e.message}\n`);
      return 2;
    }
    if (
      e instanceof UsageError ||
      e instanceof QuantityError ||
      e instanceof FormulaError ||
      e instanceof UnknownMaterialError ||
      e instanceof RangeError
    ) {
      err.write(`xtwin: ${e.message}\n`);
      return (e as { exitCode?: number }).exitCode ?? 2;
    }
    const code = (e as NodeJS.ErrnoException | undefined)?.code;
    if (e instanceof Error && typeof code === "string" && /^E[A-Z]+$/.test(code)) {
      // A system error (disk full, permission, ...): what happened, without a stack trace.
      err.write(`xtwin: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (invokedDirectly || process.argv[1]?.endsWith("/xtwin")) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`xtwin: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
