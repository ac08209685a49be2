import {
  claimIdempotencyKeyStatement,
  completeIdempotencyRecordStatement,
  type Db,
  findIdempotencyRecord,
  insertIdempotencyRecordStatement,
  isDuplicateKey,
  type Statement,
} from "@pay/lib/db";
import { DomainError } from "@pay/lib/domain";
import { problemContentType } from "@pay/lib/http";
import type { CachedEntry, IdempotencyCache } from "./cache.ts";
import { awaitSettled } from "./await_settled.ts";

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

/** A statement that stores a command's answer in the command's own transaction. */
export type RecordStatement = (outcome: CommandOutcome) => Statement;

/**
 * How a keyed command writes its idempotency record, so that the record
 * exists exactly when the effect committed. Authorize inserts it with the
 * payment (`record`; the payment's unique (merchant, key) settles a race).
 * Capture, refund and cancel `claim` the key first in their transaction and
 * `complete` it with the effect: a concurrent repeat waits on the claimed
 * row, then replays.
 */
export interface KeyBinding {
  readonly key: string;
  readonly record: RecordStatement;
  readonly claim: Statement;
  readonly complete: RecordStatement;
}

export type IdempotencyOutcome = "new" | "replayed" | "mismatch" | "in_use";

export interface GuardDeps {
  readonly pool: Db;
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
 * How long a keyed command waits for a concurrent request holding the same
 * key's record in MariaDB before answering 409 idempotency_key_in_use. The
 * holder's transaction takes milliseconds; 2 s means it is stuck, and stays
 * under the gateway's UPSTREAM_TIMEOUT_MS (5 s). Whole seconds: MariaDB's
 * innodb_lock_wait_timeout has no finer unit.
 */
export const idempotencyClaimWaitSeconds = 2;

/** A stored or fresh answer, and whether it is a replay. */
interface Answer {
  readonly httpStatus: number;
  readonly body: string;
  readonly replayed: boolean;
}

/**
 * Runs `command` at most once per (merchant, key) (DESIGN §3 and §10):
 * a repeat with the same fingerprint replays the stored status and body,
 * also while the first is still running (it waits for the first answer); a
 * different fingerprint is 422; 409 idempotency_key_in_use only when the
 * first outlasts the wait. Failures that changed nothing (validation,
 * invalid state, a dependency down) are not stored, so the key can be
 * retried at once: the in-flight marker is released on every path.
 */
export async function runIdempotent(
  deps: GuardDeps,
  scope: IdempotencyScope,
  command: (binding: KeyBinding) => Promise<CommandOutcome>,
): Promise<Response> {
  let token: string | undefined;
  try {
    const begun = await deps.cache.begin(
      scope.merchantId,
      scope.key,
      scope.fingerprint,
      deps.lockTtlMs,
    );
    if (begun.kind === "acquired") token = begun.token;
    else {
      const cached = await answerCached(deps, scope, begun.entry);
      if (cached) return respond(cached);
    }
  } catch (error) {
    if (error instanceof DomainError) throw error;
    deps.onCacheError(error);
  }

  try {
    const answer = await answerFromDb(deps, scope, command);
    const done = { state: "done", fingerprint: scope.fingerprint, ...answer } as const;
    await deps.cache.complete(scope.merchantId, scope.key, done).catch(deps.onCacheError);
    token = undefined;
    return respond(answer);
  } finally {
    if (token) await releaseQuietly(deps, scope, token);
  }
}

/**
 * The answer a cache entry gives, or undefined when MariaDB must decide:
 * a completed entry replays; an in-flight one is waited for (while its
 * marker lives at most), then replayed.
 */
async function answerCached(
  deps: GuardDeps,
  scope: IdempotencyScope,
  entry: CachedEntry,
): Promise<Answer | undefined> {
  if (entry.fingerprint !== scope.fingerprint) mismatch(deps, scope);
  const settled = entry.state === "done" ? entry : await awaitSettled(deps, scope, deps.lockTtlMs);
  if (settled === null) return undefined;
  if (settled.fingerprint !== scope.fingerprint) mismatch(deps, scope);
  if (settled.state === "in_flight") {
    deps.onOutcome("in_use");
    throw keyInUse(scope);
  }
  deps.onOutcome("replayed");
  return { httpStatus: settled.httpStatus, body: settled.body, replayed: true };
}

/** MariaDB decides: a stored record replays; otherwise the command runs with its record. */
async function answerFromDb(
  deps: GuardDeps,
  scope: IdempotencyScope,
  command: (binding: KeyBinding) => Promise<CommandOutcome>,
): Promise<Answer> {
  const stored = await findIdempotencyRecord(deps.pool, scope.merchantId, scope.key, deps.now());
  if (stored) return replayStored(deps, scope, stored);
  try {
    const outcome = await command(bindingOf(deps, scope));
    deps.onOutcome("new");
    return { httpStatus: outcome.httpStatus, body: outcome.body, replayed: false };
  } catch (error) {
    if (isDuplicateKey(error)) return await answerRace(deps, scope);
    if (error instanceof DomainError && error.code === "idempotency_key_in_use") {
      deps.onOutcome("in_use");
    }
    throw error;
  }
}

function bindingOf(deps: GuardDeps, scope: IdempotencyScope): KeyBinding {
  const now = deps.now();
  const expiresAt = new Date(now.getTime() + deps.retentionMs);
  const claimed = { ...scope, createdAt: now, expiresAt };
  return {
    key: scope.key,
    record: (o) => insertIdempotencyRecordStatement({ ...claimed, ...o }),
    claim: claimIdempotencyKeyStatement(claimed, idempotencyClaimWaitSeconds),
    complete: (o) => completeIdempotencyRecordStatement(scope.merchantId, scope.key, o),
  };
}

function replayStored(
  deps: GuardDeps,
  scope: IdempotencyScope,
  stored: { fingerprint: string; httpStatus: number; body: string },
): Answer {
  if (stored.fingerprint !== scope.fingerprint) mismatch(deps, scope);
  deps.onOutcome("replayed");
  return { httpStatus: stored.httpStatus, body: stored.body, replayed: true };
}

/**
 * Our insert hit a unique key: a concurrent request with the same key
 * committed first (the claim of a command waited for it; an authorize
 * raced it when Redis, the in-flight signal, was down). Answer from its record.
 */
async function answerRace(deps: GuardDeps, scope: IdempotencyScope): Promise<Answer> {
  const stored = await findIdempotencyRecord(deps.pool, scope.merchantId, scope.key, deps.now());
  if (stored) return replayStored(deps, scope, stored);
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

function keyInUse(scope: IdempotencyScope): DomainError {
  return new DomainError(
    "idempotency_key_in_use",
    `A request with this idempotency key is still being processed: ${scope.key}`,
  );
}

async function releaseQuietly(deps: GuardDeps, scope: IdempotencyScope, token: string) {
  await deps.cache.release(scope.merchantId, scope.key, token, scope.fingerprint).catch(
    deps.onCacheError,
  );
}

function respond(answer: Answer): Response {
  const headers = new Headers({
    "content-type": answer.httpStatus >= 400 ? problemContentType : "application/json",
  });
  if (answer.replayed) headers.set(replayHeader, "true");
  return new Response(answer.body, { status: answer.httpStatus, headers });
}
