/** Plain-text tables and number formats for the terminal: aligned, copy-pasteable. */

/**
 * Columns under a header, two spaces apart: the first `textColumns` left-aligned (names),
 * the rest right-aligned (numbers).
 */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[], textColumns = 0): string {
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells.map((s, c) => (c < textColumns ? s.padEnd(widths[c]!) : s.padStart(widths[c]!))).join("  ").trimEnd();
  return [line(headers), ...rows.map(line)].join("\n");
}

/** A number to `digits` significant figures, in exponent form when very small or large. */
export function sig(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e6 ? String(Number(x.toPrecision(digits))) : x.toExponential(digits - 1);
}

const LENGTH_UNITS: readonly [number, string][] = [
  [1, "m"],
  [1e-3, "mm"],
  [1e-6, "um"],
  [1e-9, "nm"],
];

/** A length in metres with a readable SI prefix: "111.2 um". */
export function formatLength(m: number, digits = 4): string {
  if (!Number.isFinite(m)) return String(m);
  const a = Math.abs(m);
  const [scale, name] = LENGTH_UNITS.find(([s]) => a >= s) ?? LENGTH_UNITS[LENGTH_UNITS.length - 1]!;
  return `${sig(m / scale, digits)} ${name}`;
}
