import { type MessageHandler, parsePaymentEvent, type PipelineBus } from "@pay/lib/bus";
import { applyLedgerEvent, type Db, type LedgerApplyResult } from "@pay/lib/db";
import { journalEntryFor, ledgerTopics } from "@pay/lib/domain";
import { prom, type Registry } from "@pay/lib/metrics";
import type { Worker } from "../worker.ts";

/** The ledger's consumer group: its inbox rows carry this name. */
export const ledgerGroup = "ledger";

export interface LedgerConsumerDeps {
  readonly pool: Db;
  readonly bus: Pick<PipelineBus, "consume">;
  readonly concurrency: number;
  readonly registry?: Registry;
}

/**
 * Posts each payment event to the double-entry ledger exactly once in effect:
 * the inbox row and the postings commit together, so a redelivered event is
 * acknowledged without posting again. Malformed events throw
 * MalformedMessageError and go to the DLQ.
 */
export function ledgerHandler(pool: Db, registry?: Registry): MessageHandler {
  const applied = ledgerEventsCounter(registry);
  return async (message) => {
    const { topic, envelope } = parsePaymentEvent(message);
    const entry = journalEntryFor(topic, envelope);
    const result = await applyLedgerEvent(pool, ledgerGroup, envelope.eventId, entry);
    applied.inc({ result });
  };
}

export async function startLedgerConsumer(deps: LedgerConsumerDeps): Promise<Worker> {
  const consumer = await deps.bus.consume({
    group: ledgerGroup,
    // Only events that move money: consuming the others would cost a durable inbox
    // transaction per authorize, capture request or cancel for no posting.
    topics: ledgerTopics,
    concurrency: deps.concurrency,
    handler: ledgerHandler(deps.pool, deps.registry),
  });
  return { stop: () => consumer.stop() };
}

function ledgerEventsCounter(registry?: Registry): prom.Counter<"result"> {
  const name = "ledger_events_total";
  const known = registry?.getSingleMetric(name) as prom.Counter<"result"> | undefined;
  return known ?? new prom.Counter({
    name,
    help: "Events the ledger consumer applied, by result (posted, no_postings, duplicate)",
    labelNames: ["result"] satisfies Array<keyof { result: LedgerApplyResult }>,
    registers: registry ? [registry] : [],
  });
}
