import assert from "node:assert/strict";
import { topics } from "../domain/events.ts";
import { deliver, type DeliveryPolicy } from "./delivery.ts";
import { parseDlqRecord } from "./dead_letter.ts";
import { MalformedMessageError } from "./errors.ts";
import { silentBusLogger } from "./log.ts";
import { busMetrics } from "./metrics.ts";
import type { BusMessage, DeliveredMessage, MessageHandler } from "./port.ts";

function policy(handler: MessageHandler, published: BusMessage[] = []): DeliveryPolicy {
  return {
    group: "g",
    handler,
    retryAttemptsMax: 3,
    retryBackoffBaseMs: 1,
    retryBackoffCapMs: 2,
    deliveriesMax: 5,
    publish: (messages) => {
      published.push(...messages);
      return Promise.resolve();
    },
    metrics: busMetrics(),
    log: silentBusLogger,
    abandoned: new AbortController().signal,
  };
}

function message(overrides: Partial<DeliveredMessage> = {}): DeliveredMessage {
  return {
    topic: topics.captured,
    key: "pay_1",
    value: "{}",
    headers: { eventId: "evt_1" },
    partition: 0,
    offset: "7-0",
    deliveryCount: 1,
    ...overrides,
  };
}

Deno.test("a handler that fails then succeeds is retried and acknowledged", async () => {
  let calls = 0;
  const outcome = await deliver(
    { message: message() },
    policy(() => ++calls < 3 ? Promise.reject(new Error("flaky")) : Promise.resolve()),
  );
  assert.equal(outcome, "ack");
  assert.equal(calls, 3);
});

Deno.test("a message delivered too often goes to the DLQ without calling the handler", async () => {
  const published: BusMessage[] = [];
  let calls = 0;
  const outcome = await deliver(
    { message: message({ deliveryCount: 6 }) },
    policy(() => Promise.resolve(void calls++), published),
  );
  assert.equal(outcome, "ack");
  assert.equal(calls, 0);
  assert.equal(parseDlqRecord(published[0]!.value)?.errorType, "DeliveryLimitExceeded");
  assert.equal(published[0]!.headers.eventId, "evt_1");
  assert.equal(published[0]!.headers.dlqGroup, "g");
});

Deno.test("a failing dead letter is kept for redelivery, never dead-lettered again", async () => {
  const published: BusMessage[] = [];
  let calls = 0;
  const failing = () => {
    calls++;
    return Promise.reject(new MalformedMessageError("no"));
  };
  const dlq = message({ topic: topics.dlq, deliveryCount: 50 });
  assert.equal(await deliver({ message: dlq }, policy(failing, published)), "keep");
  assert.equal(calls, 1, "the archive handler is still tried after many deliveries");
  assert.deepEqual(published, []);
});

Deno.test("when the DLQ publish fails the message is kept, not acknowledged", async () => {
  const p = {
    ...policy(() => Promise.reject(new Error("x"))),
    publish: () => Promise.reject(new Error("down")),
  };
  assert.equal(await deliver({ message: message() }, p), "keep");
});
