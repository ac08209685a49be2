/**
 * One simulated PG request end to end: idempotency (Stripe semantics), the
 * rules, and the atomic write. Synchronous, so a request's lookup, decision
 * and write never interleave with another request's.
 */
import { createHash } from "node:crypto";
import {
  type AmountWireBody,
  type AuthorizeWireBody,
  type CancelWireBody,
  pgProblem,
} from "../wire.ts";
import type { SimDb } from "./records.ts";
import {
  decideAuthorize,
  decideCancel,
  decideCapture,
  decideRefund,
  type SimContext,
  type SimDecision,
} from "./rules.ts";

export type SimRequest =
  | {
    readonly type: "authorize";
    readonly idempotencyKey: string;
    readonly body: AuthorizeWireBody;
  }
  | {
    readonly type: "capture" | "refund";
    readonly idempotencyKey: string;
    readonly authorizationId: string;
    readonly body: AmountWireBody;
  }
  | {
    readonly type: "cancel";
    readonly idempotencyKey: string;
    readonly authorizationId: string;
    readonly body: CancelWireBody;
  };

/** An answer: HTTP status and JSON text. */
export interface SimAnswer {
  readonly status: number;
  readonly body: string;
  /** True when the answer is the stored first answer to this idempotency key. */
  readonly replayed: boolean;
}

/**
 * Answers that are remembered for their key. As with Stripe, a request that
 * failed validation (400), conflicted (422) or found the PG unavailable (5xx)
 * did not run, so it is not remembered and a retry runs afresh.
 */
const rememberedStatuses: ReadonlySet<number> = new Set([200, 402, 404, 409]);

/**
 * The stored answer for the request's key: a replay when the request is the
 * same, a 422 when the key was used for a different request, or undefined
 * when the key is new.
 */
export function priorSimAnswer(db: SimDb, request: SimRequest): SimAnswer | undefined {
  const record = db.findIdempotencyRecord(request.idempotencyKey);
  if (record === undefined) return undefined;
  if (record.fingerprint !== simFingerprint(request)) {
    const problem = pgProblem(
      "idempotency_key_mismatch",
      `Idempotency key was used for a different request: ${request.idempotencyKey}`,
    );
    return { status: problem.status, body: JSON.stringify(problem), replayed: false };
  }
  return { status: record.status, body: record.body, replayed: true };
}

export function processSimRequest(db: SimDb, request: SimRequest, ctx: SimContext): SimAnswer {
  const prior = priorSimAnswer(db, request);
  if (prior !== undefined) return prior;
  const decision = decide(db, request, ctx);
  const body = JSON.stringify(decision.body);
  if (rememberedStatuses.has(decision.status)) {
    db.write({
      idempotency: {
        key: request.idempotencyKey,
        fingerprint: simFingerprint(request),
        status: decision.status,
        body,
        atMs: ctx.nowMs,
      },
      ...(decision.authorization === undefined ? {} : { authorization: decision.authorization }),
      ...(decision.operation === undefined ? {} : { operation: decision.operation }),
    });
  }
  return { status: decision.status, body, replayed: false };
}

function decide(db: SimDb, request: SimRequest, ctx: SimContext): SimDecision {
  const key = request.idempotencyKey;
  switch (request.type) {
    case "authorize":
      return decideAuthorize(key, request.body, ctx);
    case "capture": {
      const id = request.authorizationId;
      return decideCapture(db.findAuthorization(id), id, key, request.body, ctx);
    }
    case "refund": {
      const id = request.authorizationId;
      return decideRefund(db.findAuthorization(id), id, key, request.body, ctx);
    }
    case "cancel": {
      const id = request.authorizationId;
      return decideCancel(db.findAuthorization(id), id, key, request.body, ctx);
    }
  }
}

/** Digest of what the request asks: operation, authorization and canonical body. */
export function simFingerprint(request: SimRequest): string {
  const body = request.body as unknown as Record<string, unknown>;
  const canonicalBody = JSON.stringify(body, Object.keys(body).sort());
  const target = request.type === "authorize" ? "" : request.authorizationId;
  return createHash("sha256").update(`${request.type}\n${target}\n${canonicalBody}`).digest(
    "base64url",
  );
}
