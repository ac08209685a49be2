import type { Context } from "hono";
import type { PgsimConfig } from "@pay/lib/config";
import { sortableId } from "@pay/lib/domain";
import { processSimRequest, type SimContext, type SimDb, type SimRequest } from "@pay/lib/pg";
import { simAnswerResponse } from "./answers.ts";
import type { Clock } from "./clock.ts";
import type { Faults } from "./faults.ts";
import type { Prng } from "./prng.ts";

/** What pgsim's routes share: configuration, time, records, faults. */
export interface PgsimRuntime {
  readonly config: PgsimConfig;
  readonly clock: Clock;
  readonly db: SimDb;
  readonly prng: Prng;
  /** The seed pgsim started with; /admin/reset returns to it. */
  readonly initialSeed: number;
  readonly faults: Faults;
  /** Aborts when the app closes, releasing every held answer. */
  readonly closing: AbortSignal;
}

/**
 * Waits `ms` before answering. False when the caller went away or the app is
 * closing: the request is then dropped without doing anything.
 */
export async function hold(rt: PgsimRuntime, c: Context, ms: number): Promise<boolean> {
  if (ms <= 0) return !rt.closing.aborted;
  // Listeners go as soon as the wait ends: without --unstable-no-legacy-abort,
  // Deno also aborts request.signal after every answer, which must reach nobody.
  const signals = [c.req.raw.signal, rt.closing];
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  for (const signal of signals) signal.addEventListener("abort", onAbort, { once: true });
  try {
    return !signals.some((s) => s.aborted) && await rt.clock.sleep(ms, stop.signal);
  } finally {
    for (const signal of signals) signal.removeEventListener("abort", onAbort);
  }
}

/** Runs a PG request through the engine and sends its answer. */
export function answer(rt: PgsimRuntime, request: SimRequest): Response {
  return simAnswerResponse(processSimRequest(rt.db, request, simContext(rt)));
}

function simContext(rt: PgsimRuntime): SimContext {
  const nowMs = rt.clock.now();
  return {
    nowMs,
    newId: (prefix) => prefix + sortableId(nowMs),
    randomDecline: () => rt.faults.drawDecline(),
  };
}
