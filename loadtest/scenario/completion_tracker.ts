import { type Db, paymentStatesByIds } from "@pay/lib/db";

/** A capture or refund the generator waits to see settled. */
export type CompletionKind = "capture" | "refund";

export type Completion =
  /** The payment left the *_REQUESTED state; `latencyMs` from the request's send to that change. */
  | {
    readonly kind: "done";
    readonly status: string;
    readonly latencyMs: number;
  }
  /** Still *_REQUESTED after the completion timeout. */
  | { readonly kind: "timeout" };

/** The state a payment waits in while its capture (refund) is settled by the workers. */
const pendingStatusOf: Record<CompletionKind, string> = {
  capture: "CAPTURE_REQUESTED",
  refund: "REFUND_REQUESTED",
};

/**
 * How often MariaDB is asked. Latencies come from the payment's `updated_at`
 * (the settlement worker's clock, this machine's), so this bounds only how
 * late a flow learns of a completion (and moves on to its refund), not the
 * precision of the figure; 100 ms keeps it to ~10 indexed reads a second.
 */
export const completionPollMs = 100;
/** Payment ids per query: a primary-key IN list this long stays a fast range of point reads. */
export const completionIdsPerQuery = 500;

interface Waiter {
  readonly kind: CompletionKind;
  /** Wall-clock ms (Date.now) just before the request was sent. */
  readonly sentAtMs: number;
  readonly deadlineMs: number;
  readonly resolve: (completion: Completion) => void;
}

export interface CompletionTracker {
  /** Resolves when the payment leaves the pending state of `kind`, or at the timeout. */
  wait(
    paymentId: string,
    kind: CompletionKind,
    sentAtMs: number,
  ): Promise<Completion>;
  pending(): number;
  stop(): void;
}

/**
 * Watches payments whose capture or refund was accepted (202) by polling
 * MariaDB in batches, so a thousand flows in flight cost a few queries a
 * second, not a thousand GETs through the rate-limited API.
 */
export function startCompletionTracker(
  pool: Db,
  timeoutMs: number,
): CompletionTracker {
  const waiters = new Map<string, Waiter>();
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const poll = async () => {
    if (waiters.size > 0) {
      try {
        await pollOnce(pool, waiters);
      } catch {
        // MariaDB hiccup: the next poll asks again; waiters time out on their own.
      }
      expire(waiters, Date.now());
    }
    if (!stopped) timer = setTimeout(poll, completionPollMs);
  };
  timer = setTimeout(poll, completionPollMs);

  return {
    wait: (paymentId, kind, sentAtMs) =>
      new Promise((resolve) => {
        waiters.set(paymentId, {
          kind,
          sentAtMs,
          deadlineMs: Date.now() + timeoutMs,
          resolve,
        });
      }),
    pending: () => waiters.size,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
      for (const waiter of waiters.values()) {
        waiter.resolve({ kind: "timeout" });
      }
      waiters.clear();
    },
  };
}

async function pollOnce(
  pool: Db,
  waiters: Map<string, Waiter>,
): Promise<void> {
  const ids = [...waiters.keys()];
  for (let i = 0; i < ids.length; i += completionIdsPerQuery) {
    const chunk = ids.slice(i, i + completionIdsPerQuery);
    for (const row of await paymentStatesByIds(pool, chunk)) {
      const waiter = waiters.get(row.id);
      if (!waiter || row.status === pendingStatusOf[waiter.kind]) continue;
      waiters.delete(row.id);
      const changedAtMs = row.updatedAt.getTime();
      waiter.resolve({
        kind: "done",
        status: row.status,
        latencyMs: Math.max(0, changedAtMs - waiter.sentAtMs),
      });
    }
  }
}

function expire(waiters: Map<string, Waiter>, nowMs: number): void {
  for (const [id, waiter] of waiters) {
    if (nowMs < waiter.deadlineMs) continue;
    waiters.delete(id);
    waiter.resolve({ kind: "timeout" });
  }
}
