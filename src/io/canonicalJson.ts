/**
 * Canonical JSON: object keys sorted (by UTF-16 code units, locale-independent), no insignificant
 * whitespace unless `indent` is given, so equal values always serialise to identical bytes.
 * Values JSON cannot represent faithfully (NaN, Infinity, bigint, functions, symbols) are
 * rejected rather than silently turned into null; `undefined` object members are omitted as
 * JSON.stringify does, and objects with a toJSON method (Date...) are serialised through it.
 */
export function canonicalJson(value: unknown, indent?: number): string {
  const out = JSON.stringify(canonicalize(value, "$"), null, indent);
  if (out === undefined) throw new TypeError("value has no JSON representation");
  return out;
}

/** A deep copy of `value` with object keys in sorted order (plain JSON data only). */
export function canonicalize(value: unknown, where = "$"): unknown {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`${where}: ${value} has no JSON representation`);
    return value;
  }
  if (typeof value === "bigint" || typeof value === "function" || typeof value === "symbol" || value === undefined) {
    throw new TypeError(`${where}: a ${typeof value} has no JSON representation`);
  }
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === "function") return canonicalize(withToJson.toJSON(), where);
  if (Array.isArray(value)) return value.map((v, i) => canonicalize(v, `${where}[${i}]`));
  if (ArrayBuffer.isView(value)) {
    return Array.from(value as unknown as ArrayLike<number>, (v, i) => canonicalize(v, `${where}[${i}]`));
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  // Null prototype: a "__proto__" key stays an ordinary member.
  const out = Object.create(null) as Record<string, unknown>;
  for (const k of keys) {
    if (obj[k] === undefined) continue;
    out[k] = canonicalize(obj[k], `${where}.${k}`);
  }
  return out;
}
