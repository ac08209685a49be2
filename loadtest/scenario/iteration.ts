import type { LoadAuth, LoadMerchant } from "../http/auth.ts";
import { authHeaders } from "../http/auth.ts";
import type { LoadHttpClient } from "../http/client.ts";
import { errorKey, type Operation, type Recorder } from "../metrics/recorder.ts";
import type { CompletionKind, CompletionTracker } from "./completion_tracker.ts";
import {
  acknowledged,
  answerIsUnclear,
  type DrivenStatus,
  type PaymentExpectation,
  uncertain,
} from "./expectation.ts";

export const scenarioNames = ["authorize", "flow"] as const;
export type ScenarioName = typeof scenarioNames[number];

export interface ScenarioOptions {
  readonly scenario: ScenarioName;
  /** Flow only: refund a captured payment (the original's ENABLE_REFUND). */
  readonly refund: boolean;
  /** Share of flows that refund, in [0, 1]. */
  readonly refundRatio: number;
  readonly currency: string;
}

export interface ScenarioDeps {
  readonly options: ScenarioOptions;
  readonly client: LoadHttpClient;
  readonly auth: LoadAuth;
  readonly merchants: readonly LoadMerchant[];
  readonly recorder: Recorder;
  /** Required by the flow scenario. */
  readonly tracker?: CompletionTracker;
  /** Prefix of every idempotency key of the run: keys never repeat across runs. */
  readonly runId: string;
  /** What the client knows about each payment it created, by payment id. */
  readonly expected: Map<string, PaymentExpectation>;
  readonly random: () => number;
}

/** Amounts as the original scenario drew them: 1,000 to 50,000 KRW in steps of 1,000. */
export function amountOf(random: () => number): number {
  return (Math.floor(random() * 50) + 1) * 1000;
}

/** One iteration: authorize, and for a flow capture (and refund), each awaited in turn. */
export async function runIteration(
  deps: ScenarioDeps,
  index: number,
  stage: number,
): Promise<void> {
  const merchant = deps.merchants[index % deps.merchants.length]!;
  const key = `lt-${deps.runId}-${index}`;
  const authorized = await call(deps, {
    op: "authorize",
    stage,
    merchant,
    path: "/api/payments/authorize",
    body: JSON.stringify({
      merchantId: merchant.merchantId,
      amount: amountOf(deps.random),
      currency: deps.options.currency,
    }),
    idempotencyKey: key,
    okStatus: 201,
  });
  const paymentId = authorized.kind === "ok" ? authorized.body.paymentId : undefined;
  if (typeof paymentId !== "string") return;
  deps.expected.set(paymentId, acknowledged("AUTHORIZED"));
  if (deps.options.scenario !== "flow") return;

  const captured = await settle(deps, "capture", {
    stage,
    merchant,
    paymentId,
    key: `${key}-c`,
  });
  if (
    !captured || !deps.options.refund ||
    deps.random() >= deps.options.refundRatio
  ) return;
  await settle(deps, "refund", { stage, merchant, paymentId, key: `${key}-r` });
}

/** The state before and after a capture (refund) takes effect and is settled. */
const transitionOf: Record<CompletionKind, { before: DrivenStatus; after: DrivenStatus }> = {
  capture: { before: "AUTHORIZED", after: "CAPTURED" },
  refund: { before: "CAPTURED", after: "REFUNDED" },
};

/**
 * Sends a capture (refund), then waits until the workers settled it. True
 * when it did. From the send until a clear answer the payment's expectation
 * is `uncertain`: a request still in flight when the run ends, or answered
 * by a timeout or a 5xx, may or may not have taken effect.
 */
async function settle(
  deps: ScenarioDeps,
  kind: CompletionKind,
  at: { stage: number; merchant: LoadMerchant; paymentId: string; key: string },
): Promise<boolean> {
  const { before, after } = transitionOf[kind];
  deps.expected.set(at.paymentId, uncertain(kind, before, after));
  const sentAtMs = Date.now();
  const answer = await call(deps, {
    op: kind,
    stage: at.stage,
    merchant: at.merchant,
    path: `/api/payments/${kind}/${encodeURIComponent(at.paymentId)}`,
    body: kind === "refund" ? JSON.stringify({ reason: "load test" }) : "{}",
    idempotencyKey: at.key,
    okStatus: 202,
  });
  if (answer.kind === "unclear") return false;
  if (answer.kind === "refused") {
    deps.expected.set(at.paymentId, acknowledged(before));
    return false;
  }
  deps.expected.set(at.paymentId, acknowledged(after));
  if (!deps.tracker) {
    throw new Error("The flow scenario needs a completion tracker");
  }
  const completion = await deps.tracker.wait(at.paymentId, kind, sentAtMs);
  const op: Operation = kind === "capture" ? "capture_completion" : "refund_completion";
  if (completion.kind === "done" && completion.status === after) {
    deps.recorder.ok(op, at.stage, completion.latencyMs);
    return true;
  }
  const what = completion.kind === "done" ? completion.status : "timeout";
  const latencyMs = completion.kind === "done" ? completion.latencyMs : undefined;
  deps.recorder.failed(op, at.stage, errorKey(op, what), latencyMs);
  return false;
}

interface Call {
  readonly op: Operation;
  readonly stage: number;
  readonly merchant: LoadMerchant;
  readonly path: string;
  readonly body: string;
  readonly idempotencyKey: string;
  readonly okStatus: number;
}

/**
 * How one POST ended: `ok` (status `okStatus`; `body` is empty when it was
 * unreadable), `refused` (a clear answer that it did not take effect), or
 * `unclear` (it may or may not have, see answerIsUnclear).
 */
type CallOutcome =
  | { readonly kind: "ok"; readonly body: Record<string, unknown> }
  | { readonly kind: "refused" }
  | { readonly kind: "unclear" };

/** Sends one POST, times and records it. */
async function call(deps: ScenarioDeps, c: Call): Promise<CallOutcome> {
  const headers = {
    "idempotency-key": c.idempotencyKey,
    ...authHeaders(deps.auth, c.merchant, "POST", c.path, c.body),
  };
  const startedMs = performance.now();
  const answer = await deps.client.send({
    method: "POST",
    path: c.path,
    headers,
    body: c.body,
  });
  const latencyMs = performance.now() - startedMs;
  if (answer.kind === "error") {
    deps.recorder.failed(c.op, c.stage, errorKey(c.op, answer.code));
    return { kind: "unclear" };
  }
  deps.recorder.answered();
  const parsed = parseObject(answer.body);
  if (answer.status !== c.okStatus) {
    const code = typeof parsed?.code === "string" ? parsed.code : undefined;
    deps.recorder.failed(c.op, c.stage, errorKey(c.op, answer.status, code), latencyMs);
    return answerIsUnclear(answer, code) ? { kind: "unclear" } : { kind: "refused" };
  }
  if (!parsed) {
    deps.recorder.failed(
      c.op,
      c.stage,
      errorKey(c.op, answer.status, "unreadable_body"),
      latencyMs,
    );
    return { kind: "ok", body: {} };
  }
  deps.recorder.ok(c.op, c.stage, latencyMs);
  return { kind: "ok", body: parsed };
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text);
    return typeof value === "object" && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}
