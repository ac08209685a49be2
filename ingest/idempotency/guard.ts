import {
  findIdempotencyRecord,
  insertIdempotencyRecordStatement,
  isDuplicateKey,
  type Pool,
  type Statement,
} from "@pay/lib/db";
import { DomainError } from "@pay/lib/domain";
import { problemContentType } from "@pay/lib/http";
import type { BeginOutcome, CachedEntry, IdempotencyCache } from "./cache.ts";

/** Who asks, with which key, for which request. */
export interface IdempotencyScope {
  readonly merchantId: string;
  readonly key: string;
  readonly fingerprint: string;
  readonly method: string;
  readonly path: string;
}

/** What a command answered, and whether that answer binds the key (a state change happened). */
export interface CommandOutcome {
  readonly httpStatus: number;
  readonly body: string;
  readonly paymentId: string | null;
}

/**
 * Builds the idempotency_record insert a command must put in its own
 * transaction, so the record exists exactly when the effect committed.
 */
export type RecordStatement = (outcome: CommandOutcome) => Statement;

export type IdempotencyOutcome = "new" | "replayed" | "mismatch" | "in_use";

export interface GuardDeps {
  readonly pool: Pool;
  readonly cache: IdempotencyCache;
  readonly now: () => Date;
  readonly retentionMs: number;
  /** How long an in-flight marker lives if its holder dies: longer than any request may take. */
  readonly lockTtlMs: number;
  readonly onOutcome: (outcome: IdempotencyOutcome) => void;
  readonly onCacheError: (error: unknown) => void;
}

export const replayHeader = "Idempotent-Replayed";

/**
 * Runs `command` at most once per (merchant, key) (DESIGN §3, Stripe semantics):
 * a repeat with the same fingerprint replays the stored status and body; a
 * different fingerprint is 422; a repeat while the first is in flight is 409.
 * Failures that changed nothing (validation, invalid state, PG unavailable)
 * are not stored, so the key can be retried.
 */
export async function runIdempotent(
  deps: GuardDeps,
  scope: IdempotencyScope,
  command: (record: RecordStatement) => Promise<CommandOutcome>,
): Promise<Response> {
  let begun: BeginOutcome | undefined;
  try {
    begun = await deps.cache.begin(scope.merchantId, scope.key, scope.fingerprint, deps.lockTtlMs);
  } catch (error) {
    deps.onCacheError(error);
  }
  if (begun?.kind === "found") return answerCached(deps, scope, begun.entry);
  const token = begun?.token;
  const release = () => token && releaseQuietly(deps, scope, token);

  const stored = await findIdempotencyRecord(deps.pool, scope.merchantId, scope.key, deps.now());
  if (stored) {
    await release();
    return answerStored(deps, scope, stored.fingerprint, stored);
  }

  let outcome: CommandOutcome;
  try {
    outcome = await command((o) => recordStatement(deps, scope, o));
  } catch (error) {
    await release();
    if (isDuplicateKey(error)) return await answerRace(deps, scope);
    throw error;
  }
  deps.onOutcome("new");
  const done = { state: "done", fingerprint: scope.fingerprint, ...outcome } as const;
  await deps.cache.complete(scope.merchantId, scope.key, done).catch(deps.onCacheError);
  return respond(outcome.httpStatus, outcome.body, false);
}

function recordStatement(deps: GuardDeps, scope: IdempotencyScope, o: CommandOutcome): Statement {
  const now = deps.now();
  return insertIdempotencyRecordStatement({
    merchantId: scope.merchantId,
    key: scope.key,
    fingerprint: scope.fingerprint,
    method: scope.method,
    path: scope.path,
    httpStatus: o.httpStatus,
    body: o.body,
    paymentId: o.paymentId,
    createdAt: now,
    expiresAt: new Date(now.getTime() + deps.retentionMs),
  });
}

function answerCached(deps: GuardDeps, scope: IdempotencyScope, entry: CachedEntry): Response {
  if (entry.fingerprint !== scope.fingerprint) return mismatch(deps, scope);
  if (entry.state === "in_flight") {
    deps.onOutcome("in_use");
    throw new DomainError(
      "idempotency_key_in_use",
      `A request with this idempotency key is still being processed: ${scope.key}`,
    );
  }
  deps.onOutcome("replayed");
  return respond(entry.httpStatus, entry.body, true);
}

async function answerStored(
  deps: GuardDeps,
  scope: IdempotencyScope,
  fingerprint: string,
  stored: { httpStatus: number; body: string },
): Promise<Response> {
  if (fingerprint !== scope.fingerprint) return mismatch(deps, scope);
  const entry = {
    state: "done",
    fingerprint,
    httpStatus: stored.httpStatus,
    body: stored.body,
  } as const;
  await deps.cache.complete(scope.merchantId, scope.key, entry).catch(deps.onCacheError);
  deps.onOutcome("replayed");
  return respond(stored.httpStatus, stored.body, true);
}

/**
 * Our insert hit a unique key: a concurrent request with the same key
 * committed first (possible when Redis, the in-flight signal, was down).
 * Answer from its record.
 */
async function answerRace(deps: GuardDeps, scope: IdempotencyScope): Promise<Response> {
  const stored = await findIdempotencyRecord(deps.pool, scope.merchantId, scope.key, deps.now());
  if (stored) return answerStored(deps, scope, stored.fingerprint, stored);
  // The payment keeps its unique (merchant, key) after the record's retention ended.
  deps.onOutcome("mismatch");
  throw new DomainError(
    "idempotency_key_mismatch",
    `This idempotency key was already used for an earlier payment: ${scope.key}`,
  );
}

function mismatch(deps: GuardDeps, scope: IdempotencyScope): never {
  deps.onOutcome("mismatch");
  throw new DomainError(
    "idempotency_key_mismatch",
    `This idempotency key was used with a different request: ${scope.key}`,
  );
}

async function releaseQuietly(deps: GuardDeps, scope: IdempotencyScope, token: string) {
  await deps.cache.release(scope.merchantId, scope.key, token, scope.fingerprint).catch(
    deps.onCacheError,
  );
}

function respond(status: number, body: string, replayed: boolean): Response {
  const headers = new Headers({
    "content-type": status >= 400 ? problemContentType : "application/json",
  });
  if (replayed) headers.set(replayHeader, "true");
  return new Response(body, { status, headers });
}
