/** Helpers for pgsim's tests: a fixed configuration, a clock that never waits, an app to call. */
import { type PgsimConfig, type PgsimFaults, readPgsimConfig } from "@pay/lib/config";
import { createMemorySimDb, pgHeaders, type SimDb } from "@pay/lib/pg";
import { createPgsimApp, type Pgsim } from "./app.ts";
import type { Clock } from "./clock.ts";
import { createPrng, type Prng } from "./prng.ts";

/** Defaults with no injected latency, overridable per test. */
export function testConfig(
  overrides: Partial<Omit<PgsimConfig, "faults">> & { faults?: Partial<PgsimFaults> } = {},
): PgsimConfig {
  const base = readPgsimConfig({ PGSIM_LATENCY_MS_MIN: "0", PGSIM_LATENCY_MS_MAX: "0" });
  return { ...base, ...overrides, faults: { ...base.faults, ...overrides.faults } };
}

export interface TestClock extends Clock {
  nowMs: number;
  /** Every wait asked for, in ms, in order. */
  readonly sleeps: number[];
}

/** A clock at `startMs` whose waits end at once (unless already aborted). */
export function testClock(startMs = Date.UTC(2030, 0, 15, 12)): TestClock {
  const clock: TestClock = {
    nowMs: startMs,
    sleeps: [],
    now: () => clock.nowMs,
    sleep(ms, signal) {
      clock.sleeps.push(ms);
      return Promise.resolve(!signal.aborted);
    },
  };
  return clock;
}

export interface TestPgsim extends Pgsim {
  readonly clock: TestClock;
  readonly db: SimDb;
  readonly prng: Prng;
  post(path: string, key: string | undefined, body: unknown): Promise<Response>;
  get(path: string, headers?: HeadersInit): Promise<Response>;
}

export function testPgsim(
  options: { config?: PgsimConfig; seed?: number; db?: SimDb; clock?: TestClock } = {},
): TestPgsim {
  const config = options.config ?? testConfig();
  const clock = options.clock ?? testClock();
  const db = options.db ?? createMemorySimDb(config.recordsMax);
  const prng = createPrng(options.seed ?? 7);
  const pgsim = createPgsimApp({ config, clock, random: prng, db });
  return {
    ...pgsim,
    clock,
    db,
    prng,
    post: async (path, key, body) =>
      await pgsim.app.request(path, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(key === undefined ? {} : { [pgHeaders.idempotencyKey]: key }),
        },
        body: typeof body === "string" ? body : JSON.stringify(body),
      }),
    get: async (path, headers = {}) => await pgsim.app.request(path, { headers }),
  };
}

export function authorizeBody(overrides: Record<string, unknown> = {}) {
  return {
    merchantId: "M123",
    amount: 10_000,
    currency: "KRW",
    paymentMethod: "tok_visa",
    reference: "pay_test",
    ...overrides,
  };
}

/** Authorizes with tok_visa and returns the authorization id. */
export async function approvedAuthorization(
  pgsim: TestPgsim,
  key: string,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const response = await pgsim.post("/v1/authorizations", key, authorizeBody(overrides));
  const body = await response.json();
  if (response.status !== 200) throw new Error(`Authorize failed: ${JSON.stringify(body)}`);
  return body.id;
}

/**
 * A port nothing listens on right now: for a child process that needs its
 * port up front, or for a call that must find the port closed.
 */
export function unusedPort(): number {
  const listener = Deno.listen({ port: 0, hostname: "127.0.0.1" });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}
