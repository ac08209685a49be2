import assert from "node:assert/strict";
import { DependencyUnavailableError, topics } from "../domain/mod.ts";
import { breakerStateGauge } from "../resilience/breaker.ts";
import { ConsumerGate } from "./consumer_gate.ts";
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
    gate: new ConsumerGate({
      group: "g",
      backoffBaseMs: 1,
      backoffCapMs: 2,
      stateGauge: breakerStateGauge(),
      log: silentBusLogger,
    }),
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

const running = () => new AbortController().signal;

/** What mysql2, ioredis and the PG client throw while their server is down. */
const outageErrors: ReadonlyArray<() => unknown> = [
  () => Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:3306"), { code: "ECONNREFUSED" }),
  () =>
    Object.assign(new Error("Connection lost: The server closed the connection."), {
      code: "PROTOCOL_CONNECTION_LOST",
      fatal: true,
    }),
  () => new Error("Connection is closed."),
  () => new DependencyUnavailableError("database", "database unavailable"),
  () => new Error("Ledger posting failed", { cause: { code: "ER_LOCK_DEADLOCK" } }),
];

Deno.test("a handler that fails then succeeds is retried and acknowledged", async () => {
  let calls = 0;
  const outcome = await deliver(
    { message: message() },
    policy(() => ++calls < 3 ? Promise.reject(new Error("flaky")) : Promise.resolve()),
    running(),
  );
  assert.equal(outcome, "ack");
  assert.equal(calls, 3);
});

Deno.test("transient failures are retried far past the retry budget and never dead-lettered", async () => {
  const published: BusMessage[] = [];
  const failures = 25;
  let calls = 0;
  const p = policy(() => {
    const i = calls++;
    return i < failures
      ? Promise.reject(outageErrors[i % outageErrors.length]!())
      : Promise.resolve();
  }, published);
  const outcome = await deliver({ message: message() }, p, running());
  assert.equal(outcome, "ack");
  assert.equal(calls, failures + 1);
  assert.deepEqual(published, [], "a dependency outage reached the DLQ");
  const counted = (await p.metrics.transientFailures.get()).values[0]?.value;
  assert.equal(counted, failures);
  assert.equal(p.gate.state, "closed");
});

Deno.test("a permanent failure reaches the DLQ after N attempts even after transient ones", async () => {
  const published: BusMessage[] = [];
  let calls = 0;
  const outcome = await deliver(
    { message: message() },
    policy(() => {
      calls++;
      if (calls <= 4) return Promise.reject(outageErrors[0]!());
      return Promise.reject(new TypeError("Cannot read properties of undefined"));
    }, published),
    running(),
  );
  assert.equal(outcome, "ack");
  assert.equal(calls, 4 + 3, "4 transient failures, then 3 permanent attempts");
  const record = parseDlqRecord(published[0]!.value);
  assert.equal(record?.errorType, "TypeError");
});

Deno.test("a malformed message goes to the DLQ on its first attempt", async () => {
  const published: BusMessage[] = [];
  let calls = 0;
  const outcome = await deliver(
    { message: message() },
    policy(() => {
      calls++;
      return Promise.reject(new MalformedMessageError("Envelope lacks eventId"));
    }, published),
    running(),
  );
  assert.equal(outcome, "ack");
  assert.equal(calls, 1);
  assert.equal(parseDlqRecord(published[0]!.value)?.errorType, "MalformedMessageError");
});

Deno.test("stop during transient retries releases the message undone and returns promptly", async () => {
  const published: BusMessage[] = [];
  const stop = new AbortController();
  let calls = 0;
  const p = policy(() => {
    calls++;
    if (calls === 2) stop.abort();
    return Promise.reject(outageErrors[1]!());
  }, published);
  const outcome = await deliver({ message: message() }, p, stop.signal);
  assert.equal(outcome, "release");
  assert.equal(calls, 2, "an attempt started after stop");
  assert.deepEqual(published, []);
});

Deno.test("new work waiting on an open gate is released when the consumer stops", async () => {
  const stop = new AbortController();
  let calls = 0;
  const p = {
    ...policy(() => Promise.resolve(void calls++)),
    gate: new ConsumerGate({
      group: "g",
      backoffBaseMs: 60_000,
      backoffCapMs: 60_000,
      stateGauge: breakerStateGauge(),
      log: silentBusLogger,
      random: () => 0.5,
    }),
  };
  // Another message of the group failed transiently: the next probe is 30 s away.
  p.gate.settle((await p.gate.admit(false, stop.signal))!, "transient");
  const waiting = deliver({ message: message() }, p, stop.signal);
  stop.abort();
  assert.equal(await waiting, "release");
  assert.equal(calls, 0);
});

Deno.test("an abandoned consumer keeps a transiently failing message (the delivery counts)", async () => {
  const abandoned = new AbortController();
  let calls = 0;
  const p = {
    ...policy(() => {
      if (++calls === 3) abandoned.abort();
      return Promise.reject(outageErrors[2]!());
    }),
    abandoned: abandoned.signal,
  };
  assert.equal(await deliver({ message: message() }, p, abandoned.signal), "keep");
  assert.equal(calls, 3);
});

Deno.test("a message delivered too often goes to the DLQ without calling the handler", async () => {
  const published: BusMessage[] = [];
  let calls = 0;
  const outcome = await deliver(
    { message: message({ deliveryCount: 6 }) },
    policy(() => Promise.resolve(void calls++), published),
    running(),
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
  assert.equal(await deliver({ message: dlq }, policy(failing, published), running()), "keep");
  assert.equal(calls, 1, "the archive handler is still tried after many deliveries");
  assert.deepEqual(published, []);
});

Deno.test("when the DLQ publish fails the message is kept, not acknowledged", async () => {
  const p = {
    ...policy(() => Promise.reject(new Error("x"))),
    publish: () => Promise.reject(new Error("down")),
  };
  assert.equal(await deliver({ message: message() }, p, running()), "keep");
});
