import { parsePaymentEvent, type PaymentEvent } from "@pay/lib/bus";
import {
  applyLedgerEvent,
  type LedgerSource,
  ledgerSources,
  type LedgerSweepRow,
  scanLedgerSource,
} from "@pay/lib/db";
import { journalEntryFor } from "@pay/lib/domain";
import { ledgerGroup } from "../ledger/consumer.ts";
import type { PassResult } from "./loop.ts";
import { sweepAll, type SweepDeps, type SweepSource } from "./sweep_pass.ts";

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
 * sweeper for missing events (sweepSource logs one should it ever appear).
 */
export function sweepLedger(deps: SweepDeps, now: Date): Promise<PassResult> {
  return sweepAll(deps, "ledger", ledgerSources.map((s) => ledgerSweepSource(deps, s)), now);
}

function ledgerSweepSource(deps: SweepDeps, source: LedgerSource): SweepSource<LedgerSweepRow> {
  return {
    name: source.name,
    scan: (scan) => scanLedgerSource(deps.pool, source, scan),
    idOf: (row) => row.eventId ?? row.position.id,
    async repair(row) {
      let parsed: PaymentEvent;
      try {
        parsed = parsePaymentEvent({
          topic: row.topic,
          key: "",
          value: row.payload ?? "",
          headers: {},
        });
      } catch (error) {
        // The ledger consumer dead-letters such an event; it has no posting to derive.
        deps.log("sweeper_unreadable_event", { eventId: row.eventId, error: String(error) });
        return false;
      }
      const { topic, envelope } = parsed;
      const entry = journalEntryFor(topic, envelope);
      return await applyLedgerEvent(deps.pool, ledgerGroup, envelope.eventId, entry) === "posted";
    },
  };
}
