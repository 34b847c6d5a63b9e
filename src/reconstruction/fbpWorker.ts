/**
 * Worker-thread side of `fbpPool.ts` (Node only): reconstructs the slices and voxel rows a
 * job names, reading the projections from and writing the volume to SharedArrayBuffers.
 * Scratch buffers are kept between jobs of the same plan.
 */
import { parentPort } from "node:worker_threads";
import { createSliceScratch, type ParallelFbpPlan, reconstructParallelSlices, type SliceScratch } from "./fbp.js";

/** One share of an FBP: slices kFrom..kTo-1, voxel rows jFrom..jTo-1 of each. */
export interface FbpJob {
  readonly id: number;
  readonly plan: ParallelFbpPlan;
  readonly projections: SharedArrayBuffer;
  readonly out: SharedArrayBuffer;
  readonly kFrom: number;
  readonly kTo: number;
  readonly jFrom: number;
  readonly jTo: number;
}

export type FbpReply = { readonly id: number; readonly slices: number } | { readonly id: number; readonly error: string };

const port = parentPort;
if (port !== null) {
  let lastPlan: ParallelFbpPlan | undefined;
  let scratch: SliceScratch | undefined;
  port.on("message", (job: FbpJob) => {
    try {
      // A plan arrives as a structured clone per job; equal sizes reuse the scratch.
      const p = job.plan;
      if (!scratch || !lastPlan || lastPlan.cols !== p.cols || lastPlan.projections !== p.projections || lastPlan.filter !== p.filter ||
        lastPlan.grid.nx !== p.grid.nx || lastPlan.grid.ny !== p.grid.ny) {
        scratch = createSliceScratch(p);
      }
      lastPlan = p;
      const projections = new Float32Array(job.projections);
      const out = new Float32Array(job.out);
      reconstructParallelSlices(p, projections, job.kFrom, job.kTo, out, scratch, undefined, job.jFrom, job.jTo);
      const reply: FbpReply = { id: job.id, slices: job.kTo - job.kFrom };
      port.postMessage(reply);
    } catch (e) {
      const reply: FbpReply = { id: job.id, error: e instanceof Error ? e.message : String(e) };
      port.postMessage(reply);
    }
  });
}
