/**
 * Write-to-temp-then-rename: a file appears under its final name only once it is complete.
 *
 * `createPartialFile(path)` reserves a temp file `.<name>.partial-<pid>-<random>` in the same
 * directory (same filesystem, so the rename is atomic). The caller writes to `tempPath` by any
 * means (fs, HDF5...), then `commit()` fsyncs the temp file, renames it over `path` and fsyncs
 * the directory; `abort()` deletes it.
 *
 * Every partial file not yet committed or aborted is kept in a process-wide registry.
 * `abortAllPartialFiles()` deletes them all: the CLI calls it on SIGINT/SIGTERM so that an
 * interrupted run leaves nothing that looks complete. As a last resort the registry is also
 * flushed on the process 'exit' event (a partial file still open at exit is by definition
 * incomplete). Everything here is synchronous so it is safe to call from a signal handler.
 */
import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

export type PartialFileState = "open" | "committed" | "aborted";

export interface PartialFile {
  /** Absolute final path. */
  readonly path: string;
  /** Absolute temp path in the same directory; write here. */
  readonly tempPath: string;
  readonly state: PartialFileState;
  /** fsync the temp file, rename it to `path`, fsync the directory. Throws unless open. */
  commit(): void;
  /** Delete the temp file. Idempotent; a no-op once committed. */
  abort(): void;
}

const registry = new Set<PartialFileImpl>();
let exitHookInstalled = false;

/** The temp-file name used for `path` (exported for tests and for cleaning up stale files). */
export function partialFileName(finalName: string, pid: number, random: string): string {
  return `.${finalName}.partial-${pid}-${random}`;
}

/** True for names produced by `partialFileName` (any pid). */
export function isPartialFileName(name: string): boolean {
  return /^\..+\.partial-\d+-[0-9a-f]+$/.test(name);
}

class PartialFileImpl implements PartialFile {
  readonly path: string;
  readonly tempPath: string;
  private _state: PartialFileState = "open";

  constructor(path: string) {
    this.path = resolve(path);
    const name = basename(this.path);
    if (name === "" || name === "." || name === "..") throw new Error(`not a file path: "${path}"`);
    this.tempPath = reserveTempFile(this.path);
  }

  get state(): PartialFileState {
    return this._state;
  }

  commit(): void {
    if (this._state !== "open") throw new Error(`cannot commit ${this.path}: partial file already ${this._state}`);
    const fd = openSync(this.tempPath, "r+");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(this.tempPath, this.path);
    this._state = "committed";
    registry.delete(this);
    fsyncDirectory(dirname(this.path));
  }

  abort(): void {
    if (this._state !== "open") return;
    this._state = "aborted";
    registry.delete(this);
    try {
      unlinkSync(this.tempPath);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
  }
}

/** Create the temp file exclusively: the random suffix makes collisions unlikely, "wx" makes them impossible. */
function reserveTempFile(finalPath: string): string {
  const name = basename(finalPath);
  for (let attempt = 0; ; attempt++) {
    const candidate = join(dirname(finalPath), partialFileName(name, process.pid, randomBytes(6).toString("hex")));
    try {
      closeSync(openSync(candidate, "wx", 0o644));
      return candidate;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST" || attempt >= 8) throw e;
    }
  }
}

/** fsync a directory so a rename in it is durable; not supported everywhere (e.g. Windows), hence best effort. */
function fsyncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // best effort
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Reserve a temp file for `path` (created empty, registered for abortAllPartialFiles). */
export function createPartialFile(path: string): PartialFile {
  if (!exitHookInstalled) {
    process.on("exit", abortAllPartialFiles);
    exitHookInstalled = true;
  }
  const f = new PartialFileImpl(path);
  registry.add(f);
  return f;
}

/**
 * Delete every temp file neither committed nor aborted yet. Returns the temp paths removed.
 * Never throws (it runs from signal handlers and the exit hook); failures to delete are skipped.
 */
export function abortAllPartialFiles(): string[] {
  const removed: string[] = [];
  for (const f of [...registry]) {
    try {
      f.abort();
      removed.push(f.tempPath);
    } catch {
      registry.delete(f);
    }
  }
  return removed;
}

/** Temp paths currently open (for diagnostics and tests). */
export function openPartialFiles(): string[] {
  return [...registry].map((f) => f.tempPath);
}

/** Write `data` to `path` atomically: readers see either the old file or the whole new one. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const f = createPartialFile(path);
  try {
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    const fd = openSync(f.tempPath, "w");
    try {
      let off = 0;
      while (off < bytes.byteLength) off += writeSync(fd, bytes, off, bytes.byteLength - off);
    } finally {
      closeSync(fd);
    }
    f.commit();
  } catch (e) {
    f.abort();
    throw e;
  }
}
