/** One correctness check of a run. */
export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface Verdict {
  readonly ok: boolean;
  readonly checks: readonly Check[];
}

export function verdictOf(checks: readonly Check[]): Verdict {
  return { ok: checks.length > 0 && checks.every((c) => c.ok), checks };
}

export function formatVerdict(verdict: Verdict): string {
  const width = Math.max(...verdict.checks.map((c) => c.name.length), 5);
  return [
    `Verdict: ${verdict.ok ? "PASS" : "FAIL"}`,
    ...verdict.checks.map((c) =>
      `  ${c.ok ? "ok  " : "FAIL"} ${c.name.padEnd(width)}  ${c.detail}`
    ),
  ].join("\n");
}

/** `{"CAPTURED→CAPTURE_REQUESTED": 3}` as `3 CAPTURED→CAPTURE_REQUESTED`, largest first. */
export function formatCounts(
  counts: ReadonlyMap<string, number>,
  max = 5,
): string {
  const sorted = [...counts].sort((a, b) => b[1] - a[1]);
  const shown = sorted.slice(0, max).map(([k, n]) => `${n} ${k}`);
  if (sorted.length > max) shown.push(`... ${sorted.length - max} more`);
  return shown.join(", ");
}
