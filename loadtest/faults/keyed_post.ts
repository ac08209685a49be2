/**
 * One keyed POST as a careful merchant client sends it: the same
 * Idempotency-Key on every attempt, retried on no answer, 5xx, 408, 425, 429
 * and `idempotency_key_in_use` until a definite answer or the deadline.
 */
import type { LoadHttpClient } from "../http/client.ts";
import { type AnswerTally, type AttemptAnswer, attemptAnswerOf, type OpKind } from "./answers.ts";
import type { FaultMerchant } from "./platform.ts";
import { operationDeadlineMs, retryDelayMsBase, retryDelayMsCap } from "./settings.ts";

export interface KeyedPost {
  readonly op: OpKind;
  readonly merchant: FaultMerchant;
  readonly path: string;
  readonly body: Record<string, unknown>;
  readonly key: string;
}

export type PostOutcome =
  | {
    readonly kind: "answered";
    readonly status: number;
    // deno-lint-ignore no-explicit-any
    readonly body: any;
    readonly attempts: number;
    /** Wall-clock ms just before the first attempt was sent. */
    readonly firstSentAtMs: number;
    readonly answeredAtMs: number;
  }
  /** No definite answer before the deadline: the operation may or may not have happened. */
  | { readonly kind: "unresolved"; readonly attempts: number; readonly last: AttemptAnswer };

/** True when the answer says nothing final about the operation, so the client sends it again. */
export function isRetryable(answer: AttemptAnswer): boolean {
  if (answer.status === 0 || answer.status >= 500) return true;
  if (answer.status === 408 || answer.status === 425 || answer.status === 429) return true;
  return answer.status === 409 && answer.code === "idempotency_key_in_use";
}

/** Exponential from the base, capped; half fixed, half jittered, so retries spread out. */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(retryDelayMsCap, retryDelayMsBase * 2 ** (attempt - 1));
  return ceiling / 2 + random() * ceiling / 2;
}

export async function postWithRetries(
  client: LoadHttpClient,
  tally: AnswerTally,
  post: KeyedPost,
): Promise<PostOutcome> {
  const firstSentAtMs = Date.now();
  const deadlineMs = firstSentAtMs + operationDeadlineMs;
  const body = JSON.stringify(post.body);
  for (let attempt = 1;; attempt++) {
    const answer = await client.send({
      method: "POST",
      path: post.path,
      headers: {
        authorization: `Bearer ${post.merchant.apiKey}`,
        "idempotency-key": post.key,
      },
      body,
    });
    const seen = attemptAnswerOf(answer);
    tally.record(post.op, post.key, attempt, seen);
    if (!isRetryable(seen) && answer.kind === "response") {
      return {
        kind: "answered",
        status: answer.status,
        body: parseJson(answer.body),
        attempts: attempt,
        firstSentAtMs,
        answeredAtMs: Date.now(),
      };
    }
    const delayMs = retryDelayMs(attempt);
    if (Date.now() + delayMs >= deadlineMs) {
      return { kind: "unresolved", attempts: attempt, last: seen };
    }
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
