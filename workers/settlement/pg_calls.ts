import type { SettlementConfig } from "@pay/lib/config";
import { PgUnavailableError } from "@pay/lib/domain";
import type { Registry } from "@pay/lib/metrics";
import { type PgClient, type PgOperationResult, PgProtocolError } from "@pay/lib/pg";
import { type Breaker, createBreaker } from "@pay/lib/resilience";
import type { SettlementMetrics } from "./metrics.ts";

/** The breaker in front of the workers' PG calls (`circuit_breaker_state{name="pg-settlement"}`). */
export const settlementBreakerName = "pg-settlement";

/**
 * Slack of the breaker's timeout over the PG client's own: the client times a
 * call out first and says why; the breaker's timeout only catches a client
 * that hangs past its budget.
 */
const breakerTimeoutSlackMs = 1_000;

export type PgOperation = "capture" | "refund" | "cancel";

/** A PG call's result as the worker acts on it. */
export type PgCallResult =
  | PgOperationResult
  /** No answer (network, timeout, 5xx, 429, breaker open) or one outside the contract: retry later. */
  | { readonly outcome: "unavailable"; readonly errorType: string; readonly error: string };

/** The PG behind one breaker, with every failure turned into a result. */
export interface SettlementPg {
  call(operation: PgOperation, send: (pg: PgClient) => Promise<PgOperationResult>): Promise<
    PgCallResult
  >;
  readonly breaker: Breaker<[() => Promise<PgOperationResult>], PgOperationResult>;
}

export function createSettlementPg(
  pg: PgClient,
  config: Pick<SettlementConfig, "pgTimeoutMs">,
  metrics: SettlementMetrics,
  registry: Registry,
): SettlementPg {
  const breaker = createBreaker(
    (send: () => Promise<PgOperationResult>) => send(),
    { name: settlementBreakerName, timeoutMs: config.pgTimeoutMs + breakerTimeoutSlackMs },
    registry,
  );
  return {
    breaker,
    async call(operation, send) {
      const end = metrics.pgCallDuration.startTimer({ operation });
      let result: PgCallResult;
      try {
        result = await breaker.fire(() => send(pg));
      } catch (error) {
        result = { outcome: "unavailable", ...describePgFailure(error) };
      }
      end();
      metrics.pgCalls.inc({ operation, result: result.outcome });
      return result;
    },
  };
}

function describePgFailure(error: unknown): { errorType: string; error: string } {
  if (error instanceof PgUnavailableError || error instanceof PgProtocolError) {
    return { errorType: error.name, error: error.message };
  }
  const code = (error as { code?: string })?.code;
  if (code === "EOPENBREAKER") {
    return { errorType: "BreakerOpen", error: `Breaker ${settlementBreakerName} is open` };
  }
  if (code === "ETIMEDOUT") return { errorType: "PgTimeout", error: String(error) };
  return { errorType: (error as Error)?.name ?? "Error", error: String(error) };
}
