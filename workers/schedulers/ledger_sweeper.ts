import { parsePaymentEvent, type PaymentEvent } from "@pay/lib/bus";
import { applyLedgerEvent, findUnpostedSettlementEvents } from "@pay/lib/db";
import { journalEntryFor } from "@pay/lib/domain";
import { ledgerGroup } from "../ledger/consumer.ts";
import type { PassResult } from "./loop.ts";
import { reportRepairs, type SweepDeps, sweepWindow } from "./sweep_pass.ts";

/**
 * The ledger's backstop: a SUCCESS capture or refund whose `payment.captured`
 * / `payment.refunded` event left the outbox more than SWEEP_GRACE_MS ago and
 * has no ledger entry is posted from the outbox row, through the ledger
 * consumer's own `applyLedgerEvent` in its consumer group. The inbox key
 * (group, event id) decides: if the consumer applies the event at the same
 * moment, one of the two transactions fails on the key and exactly one
 * posting exists.
 *
 * A missing outbox event cannot happen: a capture or refund becomes SUCCESS
 * in the transaction that writes its event (workers/settlement/outcomes.ts,
 * lib/db/transition.ts), and outbox rows are never deleted. So there is no
 * sweeper for missing events.
 */
export async function sweepLedger(deps: SweepDeps, now: Date): Promise<PassResult> {
  const events = await findUnpostedSettlementEvents(deps.pool, sweepWindow(deps.config, now));
  const repairedIds: string[] = [];
  for (const event of events) {
    let parsed: PaymentEvent;
    try {
      parsed = parsePaymentEvent({
        topic: event.topic,
        key: "",
        value: event.payload,
        headers: {},
      });
    } catch (error) {
      // The ledger consumer sends such an event to the DLQ; here it must not stop the others.
      deps.log("sweeper_unreadable_event", { eventId: event.eventId, error: String(error) });
      continue;
    }
    const { topic, envelope } = parsed;
    const result = await applyLedgerEvent(
      deps.pool,
      ledgerGroup,
      envelope.eventId,
      journalEntryFor(topic, envelope),
    );
    if (result === "posted") repairedIds.push(envelope.eventId);
  }
  return reportRepairs(deps, "ledger", events.length, repairedIds);
}
