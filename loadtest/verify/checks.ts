import {
  countPaymentsInStatuses,
  type Db,
  outboxStats,
  paymentCountsByStatus,
  paymentStatesByIds,
  verifyLedger,
} from "@pay/lib/db";
import type { PgSettlementReport } from "@pay/lib/pg";
import { reconcileDay, utcDateOf } from "../../workers/reconciliation/mod.ts";
import type { PaymentExpectation } from "../scenario/expectation.ts";
import {
  isPending,
  judgeStates,
  pendingStatuses,
  statesCheck,
  type UnseenPayments,
} from "./payment_states.ts";
import { type Check, formatCounts, type Verdict, verdictOf } from "./verdict.ts";

/** How often the drain wait looks again; the system is idle then, so a cheap query twice a second. */
export const drainPollMs = 500;
/** Payment ids per state query: primary-key point reads, well under max_allowed_packet. */
export const stateIdsPerQuery = 1_000;

export interface VerifyInput {
  readonly pool: Db;
  readonly expected: ReadonlyMap<string, PaymentExpectation>;
  /**
   * Merchants only this run used; their payments are counted too (an
   * authorize that timed out may still have created one). Empty when the run
   * shared a merchant (the dev merchant) with other traffic.
   */
  readonly runMerchantIds: readonly string[];
  readonly startedAt: Date;
  /** DEAD outbox rows before the run: only new ones count against it. */
  readonly deadBefore: number;
  readonly fetchReport: (date: string) => Promise<PgSettlementReport>;
  /** How long captures, refunds, the outbox and the ledger get to settle after the last request. */
  readonly drainTimeoutMs: number;
  readonly requests: {
    readonly total: number;
    readonly errors: number;
    readonly errorRateMax: number;
  };
  readonly dropped: number;
  readonly log?: (line: string) => void;
}

/**
 * After a run: waits (bounded) for the workers to settle what the run asked
 * for, then checks every payment's state, the outbox, the ledger and
 * reconciliation, plus the run's error rate and schedule.
 */
export async function verifyRun(input: VerifyInput): Promise<Verdict> {
  const deadlineMs = Date.now() + input.drainTimeoutMs;
  const drained = await drain(input, deadlineMs);
  input.log?.(
    drained ? "Drained: nothing pending" : "Drain wait ran out; checking anyway",
  );
  const checks: Check[] = [
    await paymentStatesCheck(input),
    await outboxCheck(input),
  ];
  const ledger = await ledgerCheck(input.pool, deadlineMs);
  checks.push(ledger, await reconciliationCheck(input));
  checks.push(errorRateCheck(input.requests), scheduleCheck(input.dropped));
  return verdictOf(checks);
}

async function drain(input: VerifyInput, deadlineMs: number): Promise<boolean> {
  while (true) {
    const [stuck, outbox] = await Promise.all([
      pendingPayments(input),
      outboxStats(input.pool),
    ]);
    if (stuck === 0 && outbox.backlog === 0) return true;
    if (Date.now() >= deadlineMs) return false;
    input.log?.(
      `Waiting for the workers: ${stuck} payments pending, ${outbox.backlog} outbox rows NEW`,
    );
    await new Promise((resolve) => setTimeout(resolve, drainPollMs));
  }
}

async function pendingPayments(input: VerifyInput): Promise<number> {
  if (input.runMerchantIds.length > 0) {
    return await countPaymentsInStatuses(input.pool, input.runMerchantIds, pendingStatuses);
  }
  const moving = [...input.expected].filter(([, e]) =>
    e.kind === "uncertain" || e.status !== "AUTHORIZED"
  ).map(([id]) => id);
  const statuses = await statusesOf(input.pool, moving);
  return [...statuses.values()].filter((s) => isPending(s)).length;
}

async function statusesOf(
  pool: Db,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const statuses = new Map<string, string>();
  for (let i = 0; i < ids.length; i += stateIdsPerQuery) {
    const states = await paymentStatesByIds(pool, ids.slice(i, i + stateIdsPerQuery));
    for (const state of states) statuses.set(state.id, state.status);
  }
  return statuses;
}

/** Every payment the run created is where the client's answers allow; none is stuck. */
async function paymentStatesCheck(input: VerifyInput): Promise<Check> {
  const statuses = await statusesOf(input.pool, [...input.expected.keys()]);
  const judgement = judgeStates(input.expected, statuses);
  return statesCheck(judgement, await unseenPayments(input, judgement.stuck));
}

/** Payments of the run's merchants the client has no id for (their answer was lost). */
async function unseenPayments(
  input: VerifyInput,
  knownPending: number,
): Promise<UnseenPayments> {
  if (input.runMerchantIds.length === 0) return { count: 0, stuck: 0 };
  const counts = await paymentCountsByStatus(input.pool, input.runMerchantIds);
  const total = counts.reduce((sum, r) => sum + r.count, 0);
  const pendingTotal = counts.filter((r) => isPending(r.status)).reduce(
    (s, r) => s + r.count,
    0,
  );
  return {
    count: Math.max(0, total - input.expected.size),
    stuck: Math.max(0, pendingTotal - knownPending),
  };
}

async function outboxCheck(input: VerifyInput): Promise<Check> {
  const stats = await outboxStats(input.pool);
  const newDead = stats.dead - input.deadBefore;
  return {
    name: "outbox drained",
    ok: stats.backlog === 0 && newDead <= 0,
    detail: `${stats.backlog} NEW, ${
      Math.max(0, newDead)
    } DEAD since the start (${stats.dead} in all)`,
  };
}

/** The ledger consumer trails the relay; it gets until the drain deadline to balance. */
async function ledgerCheck(pool: Db, deadlineMs: number): Promise<Check> {
  while (true) {
    const ledger = await verifyLedger(pool);
    if (ledger.ok || Date.now() >= deadlineMs) {
      const detail = ledger.ok
        ? `${ledger.entries} journal entries balance; payables match captured − refunded`
        : `${ledger.unbalancedEntries.length} unbalanced entries, ${ledger.payableMismatches.length} merchant payables off`;
      return { name: "ledger balanced", ok: ledger.ok, detail };
    }
    await new Promise((resolve) => setTimeout(resolve, drainPollMs));
  }
}

/** Every UTC day the run touched, reconciled against the PG's report and the ledger. */
async function reconciliationCheck(input: VerifyInput): Promise<Check> {
  const days = utcDaysBetween(input.startedAt, new Date());
  const found = new Map<string, number>();
  let matched = 0;
  try {
    for (const day of days) {
      const report = await reconcileDay({
        pool: input.pool,
        fetchReport: input.fetchReport,
      }, day);
      matched += report.counts.matched;
      for (const m of report.mismatches) {
        found.set(m.kind, (found.get(m.kind) ?? 0) + 1);
      }
    }
  } catch (error) {
    return {
      name: "reconciliation clean",
      ok: false,
      detail: `Could not run: ${(error as Error).message}`,
    };
  }
  const detail = `${days.join(", ")}: ${matched} matched` +
    (found.size ? `; mismatches: ${formatCounts(found)}` : "; no mismatch");
  return { name: "reconciliation clean", ok: found.size === 0, detail };
}

/** UTC dates from `from` to `to`, inclusive. */
export function utcDaysBetween(from: Date, to: Date): string[] {
  const days: string[] = [];
  const dayMs = 86_400_000;
  for (let t = Date.parse(utcDateOf(from)); t <= to.getTime(); t += dayMs) {
    days.push(utcDateOf(new Date(t)));
  }
  return days;
}

export function errorRateCheck(r: VerifyInput["requests"]): Check {
  const rate = r.total > 0 ? r.errors / r.total : 0;
  return {
    name: "error rate",
    ok: rate <= r.errorRateMax,
    detail: `${r.errors} of ${r.total} requests failed (${(rate * 100).toFixed(2)}%, limit ${
      (r.errorRateMax * 100).toFixed(2)
    }%)`,
  };
}

export function scheduleCheck(dropped: number): Check {
  return {
    name: "schedule kept",
    ok: dropped === 0,
    detail: dropped === 0
      ? "every scheduled iteration started"
      : `${dropped} iterations dropped: the in-flight limit was reached (system too slow for the rate)`,
  };
}
