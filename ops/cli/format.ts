import { percentText } from "../operations/breakers.ts";

/** Widest cell a table shows; longer values are cut with an ellipsis (use --json for all). */
export const cellCharsMax = 60;

function scalarText(value: unknown): string {
  if (value === null || value === undefined) return "-";
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** Fields holding a share in [0, 1] (failureRate, timeoutShare...): people read them as `57 %`. */
const shareField = /(Rate|Share)$/;

function fieldText(key: string, value: unknown): string {
  return typeof value === "number" && shareField.test(key) ? percentText(value) : scalarText(value);
}

function cell(key: string, value: unknown): string {
  const text = fieldText(key, value).replaceAll("\n", " ");
  return text.length > cellCharsMax ? `${text.slice(0, cellCharsMax - 1)}…` : text;
}

function isScalar(value: unknown): boolean {
  return value === null || value === undefined || value instanceof Date ||
    typeof value !== "object";
}

/** Scalars, and small objects (call counts) that read fine inline in a cell. */
function isFlat(value: unknown): boolean {
  if (isScalar(value)) return true;
  return !Array.isArray(value) && Object.values(value as object).every(isScalar) &&
    JSON.stringify(value).length <= cellCharsMax;
}

/** Rows of objects as an aligned text table. */
export function table(rows: ReadonlyArray<Record<string, unknown>>): string[] {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cells = rows.map((r) => columns.map((c) => cell(c, r[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: string[]) =>
    values.map((v, i) => v.padEnd(widths[i]!)).join("  ").trimEnd();
  return [line(columns), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)];
}

/**
 * A result for people: scalars as `key: value`, arrays of objects as tables,
 * nested objects indented. The same data as --json, easier to scan.
 */
export function formatHuman(value: unknown, indent = ""): string[] {
  if (isScalar(value)) return [indent + scalarText(value)];
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${indent}(none)`];
    const records = value.every((v) =>
      typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date)
    );
    if (records && value.every((v) => Object.values(v).every(isFlat))) {
      return table(value as Record<string, unknown>[]).map((l) => indent + l);
    }
    if (records) {
      return value.flatMap((v, i) => [...(i > 0 ? [""] : []), ...formatHuman(v, indent)]);
    }
    return value.flatMap((v) => formatHuman(v, indent + "- "));
  }
  const lines: string[] = [];
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (isScalar(v)) lines.push(`${indent}${key}: ${fieldText(key, v)}`);
    else if (Object.keys(v as object).length === 0) lines.push(`${indent}${key}: (none)`);
    else {
      lines.push(`${indent}${key}:`);
      lines.push(...formatHuman(v, indent + "  "));
    }
  }
  return lines;
}
