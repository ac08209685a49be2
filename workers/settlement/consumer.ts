import {
  type Bus,
  type DeliveredMessage,
  MalformedMessageError,
  type MessageHandler,
  parsePaymentEvent,
} from "@pay/lib/bus";
import { type Db, insertVoidRequest, type PgRequestKind, pgRequestTable } from "@pay/lib/db";
import { type EventEnvelope, topics } from "@pay/lib/domain";
import { settlementGroup } from "./dead_letters.ts";
import type { Settler } from "./settler.ts";

/** The topics the settlement worker consumes. */
export const settlementTopics = [
  topics.captureRequested,
  topics.refundRequested,
  topics.cancelled,
  topics.expired,
] as const;

export interface SettlementHandlerDeps {
  readonly pool: Db;
  readonly settler: Settler;
}

/**
 * capture-requested / refund-requested → claim the request and settle it at
 * the PG; cancelled / expired → void the authorization at the PG, releasing
 * the cardholder's hold. Every path is
 * idempotent: a completed or claimed request is acknowledged without a PG
 * call, and the PG answers a repeated key with its first answer.
 */
export function settlementHandler(deps: SettlementHandlerDeps): MessageHandler {
  return async (message) => {
    const { topic, envelope } = parsePaymentEvent(message);
    switch (topic) {
      case topics.captureRequested:
        return await settleRequested(deps, "capture", envelope, message);
      case topics.refundRequested:
        return await settleRequested(deps, "refund", envelope, message);
      case topics.cancelled:
      case topics.expired:
        return await voidAuthorization(deps, envelope, message);
      default:
        return;
    }
  };
}

async function settleRequested(
  deps: SettlementHandlerDeps,
  kind: PgRequestKind,
  envelope: EventEnvelope,
  message: DeliveredMessage,
): Promise<void> {
  const requestId = envelope.data.requestId;
  if (typeof requestId !== "string" || requestId === "") {
    throw new MalformedMessageError(`Event has no data.requestId: ${envelope.eventId}`);
  }
  const result = await deps.settler.claimAndSettle(kind, requestId, message);
  if (result === "missing") {
    throw new MalformedMessageError(`No ${pgRequestTable(kind)} row: ${requestId}`);
  }
}

/**
 * Releases the authorization of a cancelled or expired payment at the PG. The
 * payment is already CANCELLED or EXPIRED (neither waits for the PG), so a void
 * changes no state: it is recorded as a void_request and settled like a
 * capture (claimed, retried with backoff while the PG is unreachable), and a
 * refusal or exhausted retries are logged and counted.
 */
async function voidAuthorization(
  deps: SettlementHandlerDeps,
  envelope: EventEnvelope,
  message: DeliveredMessage,
): Promise<void> {
  const requestId = await insertVoidRequest(deps.pool, {
    paymentId: envelope.paymentId,
    merchantId: envelope.merchantId,
    amount: envelope.amount,
    currency: envelope.currency,
    at: new Date(),
  });
  await deps.settler.claimAndSettle("void", requestId, message);
}

/** A running settlement consumer. */
export interface SettlementConsumer {
  stop(): Promise<void>;
}

/** Consumes the settlement topics in the `settlement` group. */
export async function startSettlementConsumer(
  deps: SettlementHandlerDeps & {
    readonly bus: Pick<Bus, "consume">;
    readonly concurrency: number;
  },
): Promise<SettlementConsumer> {
  const consumer = await deps.bus.consume({
    group: settlementGroup,
    topics: settlementTopics,
    handler: settlementHandler(deps),
    concurrency: deps.concurrency,
  });
  return { stop: () => consumer.stop() };
}
