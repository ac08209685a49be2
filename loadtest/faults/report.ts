/** The one line a scenario prints, from its counts (pure, so its shape is stable). */
import type { OpKind } from "./answers.ts";
import type { AckedOp, NotAcknowledged } from "./flows.ts";
import { countByInvariant, type Violation } from "./violations.ts";

export interface ScenarioCounts {
  readonly number: number;
  readonly title: string;
  readonly flows: number;
  readonly dropped: number;
  readonly acked: readonly AckedOp[];
  readonly notAcked: readonly NotAcknowledged[];
  readonly answers: ReadonlyMap<string, number>;
  /** `name{labels}=n` of the repair counters that grew. */
  readonly repaired: readonly string[];
  readonly deadLetteredRows: number;
  readonly deadLetterCounters: readonly string[];
  readonly metricsComplete: boolean;
  readonly finalP99Ms: number;
  readonly finalCount: number;
  readonly convergedInMs: number;
  readonly converged: boolean;
  readonly violations: readonly Violation[];
}

const opKinds: readonly OpKind[] = ["authorize", "capture", "refund", "cancel"];

export function scenarioLine(c: ScenarioCounts): string {
  const ackedBy = opKinds.map((op) => `${op} ${c.acked.filter((a) => a.kind === op).length}`);
  const unresolved = c.notAcked.filter((n) => n.outcome.startsWith("unresolved")).length;
  const fiveXx = [...c.answers]
    .filter(([label]) => label.startsWith("5"))
    .map(([label, n]) => `${label.replace(" ", ":")}=${n}`);
  const broken = [...countByInvariant(c.violations)].map(([name, n]) => `${name}=${n}`);
  return [
    `#${c.number} ${c.title}:`,
    `flows ${c.flows}${c.dropped ? ` (dropped ${c.dropped})` : ""};`,
    `acked ${ackedBy.join(", ")};`,
    `not acked ${c.notAcked.length} (unresolved ${unresolved});`,
    `5xx ${fiveXx.length ? fiveXx.join(" ") : "none"};`,
    `repaired ${c.repaired.length ? c.repaired.join(" ") : "none"}${
      c.metricsComplete ? "" : " (metrics incomplete)"
    };`,
    `dead-lettered ${c.deadLetteredRows}${
      c.deadLetterCounters.length ? ` (${c.deadLetterCounters.join(" ")})` : ""
    };`,
    `time-to-final p99 ${(c.finalP99Ms / 1000).toFixed(1)} s (n=${c.finalCount});`,
    `${c.converged ? "converged" : "NOT converged"} after ${
      (c.convergedInMs / 1000).toFixed(1)
    } s;`,
    `violations ${broken.length ? broken.join(" ") : "0"}`,
  ].join(" ");
}

/** Every answer class with its count, for the detail lines (`201=512 503 service_unavailable=40`). */
export function answersLine(answers: ReadonlyMap<string, number>): string {
  return [...answers].sort(([a], [b]) => a.localeCompare(b)).map(([label, n]) => `${label}=${n}`)
    .join(", ");
}
