import {
  type EventEnvelope,
  eventTypeOf,
  type PaymentTopic,
  sortableId,
  topics,
} from "@pay/lib/domain";
import { type Db, insertCapturedPaymentRows, insertDueOutboxRows } from "@pay/lib/db";

/** Rows per multi-row INSERT: large enough to seed fast, far below max_allowed_packet. */
const seedRowsPerInsert = 1_000;

/** The events of one captured payment, in the order ingest and settlement write them. */
const lifecycle: readonly PaymentTopic[] = [
  topics.authorized,
  topics.captureRequested,
  topics.captured,
];

export interface SeededPayment {
  readonly paymentId: string;
  readonly merchantId: string;
  readonly amount: number;
  readonly events: readonly { topic: PaymentTopic; envelope: EventEnvelope }[];
}

/**
 * Test and benchmark data: `payments` captured payments (KRW), each with its
 * payment row and three due outbox events (authorized, capture-requested,
 * captured), spread over `merchants` merchants.
 */
export async function seedCapturedPayments(
  pool: Db,
  payments: number,
  merchants = 10,
): Promise<SeededPayment[]> {
  const now = new Date();
  const seeded: SeededPayment[] = [];
  for (let i = 0; i < payments; i++) {
    const paymentId = `pay_${sortableId(now.getTime())}`;
    const merchantId = `M${1000 + (i % merchants)}`;
    const amount = 1_000 + (i % 97) * 100;
    const events = lifecycle.map((topic) => ({
      topic,
      envelope: {
        eventId: `evt_${sortableId(now.getTime())}`,
        type: eventTypeOf(topic),
        paymentId,
        merchantId,
        amount,
        currency: "KRW",
        occurredAt: now.toISOString(),
        data: {},
      } as unknown as EventEnvelope,
    }));
    seeded.push({ paymentId, merchantId, amount, events });
  }
  for (let start = 0; start < seeded.length; start += seedRowsPerInsert) {
    const chunk = seeded.slice(start, start + seedRowsPerInsert);
    await insertCapturedPaymentRows(
      pool,
      chunk.map((p) => ({ ...p, currency: "KRW" })),
      now,
    );
    await insertOutboxRows(pool, chunk.flatMap((p) => p.events), now);
  }
  return seeded;
}

/** Inserts due outbox rows for `events` (status NEW, attempts 0). */
export async function insertOutboxRows(
  pool: Db,
  events: readonly { topic: string; envelope: EventEnvelope }[],
  at = new Date(),
): Promise<void> {
  for (let start = 0; start < events.length; start += seedRowsPerInsert) {
    const chunk = events.slice(start, start + seedRowsPerInsert);
    await insertDueOutboxRows(pool, chunk, at);
  }
}
