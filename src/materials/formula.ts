/**
 * Chemical formula parser: element symbols with integer or fractional counts, nested
 * parentheses or brackets, a leading multiplier and hydrates joined by "·" or "*".
 *
 *   LiNi0.8Mn0.1Co0.1O2   Li7La3Zr2O12   Li6PS5Cl   Ca(OH)2   CuSO4(H2O)5   CuSO4·5H2O
 *
 * Symbols are case-sensitive ("Co" is cobalt, "CO" carbon monoxide). A malformed formula
 * or an unknown element throws a FormulaError naming the bad token and its position.
 */
import { atomicNumber } from "./elements.js";

export class FormulaError extends Error {
  constructor(
    readonly formula: string,
    /** 0-based character position of the bad token. */
    readonly position: number,
    readonly token: string,
    reason: string,
  ) {
    super(`malformed formula "${formula}": ${reason} "${token}" at position ${position + 1}`);
    this.name = "FormulaError";
  }
}

/** Atoms per formula unit, keyed by atomic number, in order of first appearance. */
export type Stoichiometry = Map<number, number>;

const HYDRATE_SEPARATORS = new Set(["·", "*", "•"]);
const CLOSING: Record<string, string> = { "(": ")", "[": "]" };

export function parseFormula(formula: string): Stoichiometry {
  const text = formula.trim();
  if (text.length === 0) throw new FormulaError(formula, 0, "", "empty formula, expected an element symbol such as");
  let pos = 0;

  const fail = (reason: string, token = text[pos] ?? "end of formula", at = pos): never => {
    throw new FormulaError(text, at, token, reason);
  };

  const readNumber = (): number | undefined => {
    const m = /^(\d+(?:\.\d+)?|\.\d+)/.exec(text.slice(pos));
    if (m === null) return undefined;
    pos += m[0].length;
    return Number(m[0]);
  };

  const add = (into: Stoichiometry, from: Stoichiometry, times: number) => {
    for (const [z, n] of from) into.set(z, (into.get(z) ?? 0) + n * times);
  };

  // sequence := (element count? | "(" sequence ")" count?)+
  const readSequence = (closing: string | undefined): Stoichiometry => {
    const result: Stoichiometry = new Map();
    let groups = 0;
    while (pos < text.length) {
      const c = text[pos]!;
      if (closing !== undefined && c === closing) break;
      if (c in CLOSING) {
        const open = pos;
        pos++;
        const inner = readSequence(CLOSING[c]);
        if (text[pos] !== CLOSING[c]) fail(`unclosed "${c}" opened at position ${open + 1}, got`);
        pos++;
        if (inner.size === 0) fail("empty group before", text[pos - 1], pos - 1);
        const count = readNumber() ?? 1;
        if (count <= 0) fail("count must be positive, got", String(count), pos - 1);
        add(result, inner, count);
      } else if (c >= "A" && c <= "Z") {
        const start = pos;
        let symbol = c;
        pos++;
        if (pos < text.length && text[pos]! >= "a" && text[pos]! <= "z") {
          symbol += text[pos];
          pos++;
        }
        const z = atomicNumber(symbol);
        if (z === undefined) fail("unknown element", symbol, start);
        const count = readNumber() ?? 1;
        if (count <= 0) fail("count must be positive, got", String(count), start);
        result.set(z!, (result.get(z!) ?? 0) + count);
      } else if (HYDRATE_SEPARATORS.has(c) || c === ")" || c === "]") {
        break;
      } else {
        fail("unexpected character");
      }
      groups++;
    }
    if (groups === 0 && closing === undefined) fail("expected an element symbol, got");
    return result;
  };

  const total: Stoichiometry = new Map();
  for (;;) {
    const multiplier = readNumber() ?? 1;
    const part = readSequence(undefined);
    if (part.size === 0) fail("expected an element symbol, got");
    add(total, part, multiplier);
    if (pos >= text.length) break;
    if (HYDRATE_SEPARATORS.has(text[pos]!)) {
      pos++;
      continue;
    }
    fail("unexpected character");
  }
  return total;
}
