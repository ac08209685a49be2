/** A broken invariant, precise enough to look the subject up in the database. */
export interface Violation {
  /** Stable name of the invariant, e.g. `voided-at-pg`. */
  readonly invariant: string;
  /** What broke it: a payment id, a PG authorization id, a merchant, an idempotency key. */
  readonly subject: string;
  readonly detail: string;
}

/** Counts per invariant, in first-seen order. */
export function countByInvariant(violations: readonly Violation[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of violations) counts.set(v.invariant, (counts.get(v.invariant) ?? 0) + 1);
  return counts;
}

/**
 * One line per broken invariant: its exact count and the first `listedMax`
 * subjects with their details.
 */
export function describeViolations(
  violations: readonly Violation[],
  listedMax: number,
): string[] {
  const byInvariant = new Map<string, Violation[]>();
  for (const v of violations) {
    const list = byInvariant.get(v.invariant) ?? [];
    list.push(v);
    byInvariant.set(v.invariant, list);
  }
  return [...byInvariant].map(([invariant, list]) => {
    const shown = list.slice(0, listedMax).map((v) => `${v.subject} (${v.detail})`);
    const more = list.length > listedMax ? `; … ${list.length - listedMax} more` : "";
    return `${invariant}: ${list.length} — ${shown.join("; ")}${more}`;
  });
}
