/**
 * Validation of user files (scenarios, recipes) with zod: every problem is reported as
 * `path: expected ..., got ...`, and quantities are unit strings parsed with mathjs.
 */
import { parse as parseYaml, YAMLParseError } from "yaml";
import { z } from "zod";
import { parseQuantity, quantityMismatch, type QuantityKind } from "./units.js";

export class ValidationError extends Error {
  constructor(readonly problems: readonly string[], source?: string) {
    super(`${source === undefined ? "input" : source}: ${problems.length} problem${problems.length > 1 ? "s" : ""}\n  ${problems.join("\n  ")}`);
    this.name = "ValidationError";
  }
}

/**
 * A user file's YAML text as data; a syntax error becomes a ValidationError naming the
 * file, line and column (`source` names the file).
 */
export function parseYamlText(text: string, source?: string): unknown {
  try {
    return parseYaml(text, { prettyErrors: true });
  } catch (e) {
    if (e instanceof YAMLParseError) {
      const where = e.linePos?.[0] ? ` at line ${e.linePos[0].line}, column ${e.linePos[0].col}` : "";
      throw new ValidationError([`not valid YAML${where}: ${e.message.split("\n")[0]}`], source);
    }
    throw e;
  }
}

/** A zod schema for a quantity of `kind` (unit string or bare number), with an optional check. */
export function quantity(kind: QuantityKind, check?: (v: number) => string | undefined) {
  return z.union([z.string(), z.number()], { error: () => quantityMismatch("(missing or not text)", kind) }).transform((v, ctx) => {
    let value: number;
    try {
      value = parseQuantity(v, kind, "");
    } catch {
      ctx.addIssue({ code: "custom", message: quantityMismatch(v, kind), input: v });
      return z.NEVER;
    }
    const problem = check?.(value);
    if (problem !== undefined) {
      ctx.addIssue({ code: "custom", message: problem, input: v });
      return z.NEVER;
    }
    return value;
  });
}

function formatPath(path: readonly PropertyKey[]): string {
  let s = "";
  for (const p of path) s += typeof p === "number" ? `[${p}]` : s.length === 0 ? String(p) : `.${String(p)}`;
  return s.length === 0 ? "(top level)" : s;
}

function describeInput(input: unknown): string {
  if (input === undefined) return "nothing";
  const text = typeof input === "string" ? `"${input}"` : JSON.stringify(input);
  return text.length > 60 ? text.slice(0, 57) + "..." : text;
}

function issueMessage(issue: z.core.$ZodIssue): string {
  const where = formatPath(issue.path);
  switch (issue.code) {
    case "unrecognized_keys":
      return `${where}: unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
    case "custom":
      return `${where}: ${issue.message}`;
    case "invalid_union":
      if ("discriminator" in issue && typeof issue.discriminator === "string") {
        // zod reports the whole object as input; the value that is wrong is its discriminator.
        const input = issue.input as Record<string, unknown> | undefined;
        const value = input !== null && typeof input === "object" ? input[issue.discriminator] : input;
        const options = (issue as { options?: unknown[] }).options ?? [];
        return `${where}: expected one of ${options.map((o) => `"${String(o)}"`).join(", ")}, got ${describeInput(value)}`;
      }
      return `${where}: ${issue.message}, got ${describeInput(issue.input)}`;
    default: {
      const msg = issue.message.replace(/^Invalid input: /, "");
      return `${where}: ${msg}${issue.input !== undefined || issue.code === "invalid_type" ? `, got ${describeInput(issue.input)}` : ""}`;
    }
  }
}

/** zod issues as `path: expected ..., got ...` lines. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map(issueMessage);
}

