/** Debian's headless Chromium for the report tests: rendering a page and reading its DOM back. */
import { spawnSync } from "node:child_process";
import * as assert from "uvu/assert";

/** "chromium" when Debian's chromium is installed, else null (the caller prints a loud note and skips). */
export function chromium(): string | null {
  const r = spawnSync("chromium", ["--version"], { encoding: "utf8" });
  return r.status === 0 ? "chromium" : null;
}

export function browserArgs(profile: string): string[] {
  // As root Chromium refuses to start without --no-sandbox.
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  return ["--headless", "--disable-gpu", "--hide-scrollbars", "--no-first-run", `--user-data-dir=${profile}`, "--virtual-time-budget=10000", ...(root ? ["--no-sandbox"] : [])];
}

/** The DOM of `file` after its scripts ran (--dump-dom); asserts the report's script finished. */
export function renderedDom(browser: string, file: string, profile: string): string {
  const dom = spawnSync(browser, [...browserArgs(profile), "--dump-dom", "file://" + file], { encoding: "utf8", maxBuffer: 64 << 20, timeout: 60_000 });
  assert.is(dom.status, 0, dom.stderr);
  assert.match(dom.stdout, /<body[^>]*data-report-done="true"/);
  return dom.stdout;
}

/** The opening tag and body of section fig-<key> in a dumped DOM; asserts it was drawn with marks. */
export function drawnSection(dom: string, key: string): { marks: number; body: string } {
  const open = new RegExp(`<section[^>]*id="fig-${key}"[^>]*>`).exec(dom);
  assert.ok(open, `section ${key} in the DOM`);
  assert.match(open![0], /data-rendered="true"/, `${key} drawn`);
  const marks = Number(/data-marks="(\d+)"/.exec(open![0])?.[1] ?? 0);
  assert.ok(marks > 0, `${key}: ${marks} marks`);
  const body = dom.slice(open!.index, dom.indexOf("</section>", open!.index));
  const shapes = (body.match(/<(rect|path|image|line)\b/g) ?? []).length;
  assert.ok(shapes > 0, `${key}: SVG marks in the DOM`);
  return { marks, body };
}
