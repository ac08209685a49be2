/**
 * Every HTTP answer the flow driver got, counted by status and problem code,
 * and the answers issue 12 forbids: a 500, and `invalid_state` or
 * `idempotency_key_in_use` to a retried keyed request (a retry must replay
 * the first answer or wait for it, never refuse).
 */
import type { LoadAnswer } from "../http/client.ts";

export type OpKind = "authorize" | "capture" | "refund" | "cancel";

/** What one attempt got, as the tally and the retry policy see it. */
export interface AttemptAnswer {
  /** HTTP status, or 0 when no complete answer came (network error, timeout). */
  readonly status: number;
  /** The problem+json `code`, or the socket error code when status is 0; "" otherwise. */
  readonly code: string;
}

export function attemptAnswerOf(answer: LoadAnswer): AttemptAnswer {
  if (answer.kind === "error") return { status: 0, code: answer.code };
  return { status: answer.status, code: answer.status >= 400 ? problemCodeOf(answer.body) : "" };
}

function problemCodeOf(body: string): string {
  try {
    const parsed = JSON.parse(body);
    return typeof parsed?.code === "string" ? parsed.code : "no_code";
  } catch {
    return "not_json";
  }
}

/** A forbidden answer, with enough to find it in the logs and the database. */
export interface ForbiddenAnswer {
  readonly op: OpKind;
  readonly key: string;
  readonly attempt: number;
  readonly status: number;
  readonly code: string;
}

export interface AnswerTally {
  record(op: OpKind, key: string, attempt: number, answer: AttemptAnswer): void;
  /** Counts by `status code` (e.g. `503 service_unavailable`, `error timeout`, `201`). */
  counts(): ReadonlyMap<string, number>;
  forbidden(): readonly ForbiddenAnswer[];
}

/** Codes a retried keyed request must never get (DESIGN §10: a repeat replays the first answer). */
export const retryRefusalCodes: ReadonlySet<string> = new Set([
  "invalid_state",
  "idempotency_key_in_use",
]);

export function isForbiddenAnswer(attempt: number, answer: AttemptAnswer): boolean {
  if (answer.status === 500) return true;
  return attempt > 1 && answer.status === 409 && retryRefusalCodes.has(answer.code);
}

export function createAnswerTally(): AnswerTally {
  const counts = new Map<string, number>();
  const forbidden: ForbiddenAnswer[] = [];
  return {
    record(op, key, attempt, answer) {
      const label = answer.status === 0
        ? `error ${answer.code}`
        : `${answer.status}${answer.code ? ` ${answer.code}` : ""}`;
      counts.set(label, (counts.get(label) ?? 0) + 1);
      if (isForbiddenAnswer(attempt, answer)) {
        forbidden.push({ op, key, attempt, status: answer.status, code: answer.code });
      }
    },
    counts: () => counts,
    forbidden: () => forbidden,
  };
}
