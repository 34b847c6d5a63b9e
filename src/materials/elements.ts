/** Chemical elements Z = 1..92 by symbol, the range xtwin's interaction tables cover. */

export const ELEMENT_SYMBOLS = [
  "H", "He", "Li", "Be", "B", "C", "N", "O", "F", "Ne",
  "Na", "Mg", "Al", "Si", "P", "S", "Cl", "Ar", "K", "Ca",
  "Sc", "Ti", "V", "Cr", "Mn", "Fe", "Co", "Ni", "Cu", "Zn",
  "Ga", "Ge", "As", "Se", "Br", "Kr", "Rb", "Sr", "Y", "Zr",
  "Nb", "Mo", "Tc", "Ru", "Rh", "Pd", "Ag", "Cd", "In", "Sn",
  "Sb", "Te", "I", "Xe", "Cs", "Ba", "La", "Ce", "Pr", "Nd",
  "Pm", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb",
  "Lu", "Hf", "Ta", "W", "Re", "Os", "Ir", "Pt", "Au", "Hg",
  "Tl", "Pb", "Bi", "Po", "At", "Rn", "Fr", "Ra", "Ac", "Th",
  "Pa", "U",
] as const;

export const MAX_ATOMIC_NUMBER = ELEMENT_SYMBOLS.length;

const BY_SYMBOL = new Map<string, number>(ELEMENT_SYMBOLS.map((s, i) => [s, i + 1]));

/** Atomic number of an element symbol (case-sensitive, "Ni"), or undefined. */
export function atomicNumber(symbol: string): number | undefined {
  return BY_SYMBOL.get(symbol);
}

/** Symbol of atomic number Z (1..92). */
export function elementSymbol(z: number): string {
  const s = ELEMENT_SYMBOLS[z - 1];
  if (s === undefined) throw new RangeError(`atomic number ${z} is outside 1..${MAX_ATOMIC_NUMBER}`);
  return s;
}
