import assert from "node:assert/strict";
import { createRegistry, type Registry } from "../metrics/mod.ts";
import { breakerStateGauge } from "../resilience/breaker.ts";
import { ConsumerGate, type GateTicket } from "./consumer_gate.ts";
import type { BusLogger } from "./log.ts";

interface GateTestOptions {
  readonly registry?: Registry;
  readonly log?: BusLogger;
  readonly baseMs?: number;
  readonly capMs?: number;
  /** Jitter draws, one per probe scheduled; the last repeats. */
  readonly draws?: readonly number[];
}

function gateOf(options: GateTestOptions = {}): ConsumerGate {
  const draws = [...(options.draws ?? [0.5])];
  return new ConsumerGate({
    group: "ledger",
    backoffBaseMs: options.baseMs ?? 1,
    backoffCapMs: options.capMs ?? 4,
    stateGauge: breakerStateGauge(options.registry),
    log: options.log ?? (() => {}),
    random: () => draws.length > 1 ? draws.shift()! : draws[0]!,
  });
}

/** Tracks whether a promise has settled, without waiting for it. */
function watch<T>(promise: Promise<T>): { readonly done: boolean; readonly value: Promise<T> } {
  const state = { done: false, value: promise };
  promise.then(() => state.done = true, () => state.done = true);
  return state;
}

/** Lets every pending callback and promise continuation run. */
const settleMicrotasks = () => new Promise((resolve) => setTimeout(resolve, 0));

const running = () => new AbortController().signal;

Deno.test("a transient failure holds new work while the failed message probes; success releases all", async () => {
  const gate = gateOf();
  const first = await gate.admit(false, running());
  assert.deepEqual(first, { probe: false, epoch: 0 });
  gate.settle(first!, "transient", new Error("connect ECONNREFUSED"));
  assert.equal(gate.state, "open");
  // As in deliver(): the failed message asks again at once, before any new work arrives.
  const retry = gate.admit(true, running());
  const newWork = watch(gate.admit(false, running()));
  const probe = await retry;
  assert.equal(probe?.probe, true);
  assert.equal(gate.state, "halfOpen");
  await settleMicrotasks();
  assert.equal(newWork.done, false, "new work started while the gate was open");
  gate.settle(probe!, "ok");
  assert.equal(gate.state, "closed");
  assert.equal((await newWork.value)?.probe, false);
});

Deno.test("only one probe runs at a time, and a failed probe reopens the gate", async () => {
  const gate = gateOf();
  gate.settle((await gate.admit(false, running()))!, "transient");
  const a = watch(gate.admit(true, running()));
  const b = watch(gate.admit(true, running()));
  const probe = await Promise.race([a.value, b.value]);
  await settleMicrotasks();
  assert.equal(a.done && b.done, false, "two probes admitted at once");
  gate.settle(probe!, "transient");
  assert.equal(gate.state, "open");
  const next = await (a.done ? b.value : a.value);
  assert.equal(next?.probe, true, "the other retry probes next");
  gate.settle(next!, "failed");
  assert.equal(gate.state, "closed", "a probe answered by the dependency closes the gate");
});

Deno.test("new work probes when no failed message is waiting", async () => {
  const gate = gateOf();
  gate.settle((await gate.admit(false, running()))!, "transient");
  const ticket = await gate.admit(false, running());
  assert.equal(ticket?.probe, true);
  gate.settle(ticket!, "ok");
  assert.equal(gate.state, "closed");
});

Deno.test("new work held behind a failed message probes once that message leaves", async () => {
  // First probe at once, the second after 39 ms.
  const gate = gateOf({ baseMs: 20, capMs: 1_000, draws: [0, 0.99] });
  gate.settle((await gate.admit(false, running()))!, "transient");
  const probe = await gate.admit(true, running());
  const held = watch(gate.admit(false, running()));
  gate.settle(probe!, "transient");
  const leaving = new AbortController();
  const retry = watch(gate.admit(true, leaving.signal));
  await settleMicrotasks();
  assert.equal(held.done, false, "new work probed before the failed message");
  // The failed message's consumer stops before its probe is due.
  leaving.abort();
  assert.equal(await retry.value, null);
  assert.equal((await held.value)?.probe, true);
});

Deno.test("stop ends a wait on an open gate; a closed gate admits a stopping consumer", async () => {
  const gate = gateOf({ baseMs: 60_000, capMs: 60_000 });
  const stopped = AbortSignal.abort();
  assert.deepEqual(await gate.admit(false, stopped), { probe: false, epoch: 0 });
  gate.settle((await gate.admit(false, running()))!, "transient");
  const stop = new AbortController();
  const waiting = watch(gate.admit(true, stop.signal));
  const other = watch(gate.admit(false, stop.signal));
  // Probes may come late: 60 s cap. Stop must not wait for them.
  stop.abort();
  assert.equal(await waiting.value, null);
  assert.equal(await other.value, null);
});

Deno.test("results of attempts admitted before the gate changed do not move it", async () => {
  const gate = gateOf();
  const early: GateTicket = (await gate.admit(false, running()))!;
  const late: GateTicket = (await gate.admit(false, running()))!;
  gate.settle(early, "transient");
  assert.equal(gate.state, "open");
  gate.settle(late, "ok");
  assert.equal(gate.state, "open", "an attempt started before the outage closed the gate");
  const probe = await gate.admit(true, running());
  gate.settle(probe!, "ok");
  gate.settle(late, "transient");
  assert.equal(gate.state, "closed", "an attempt started before recovery reopened the gate");
});

Deno.test("the gate reports circuit_breaker_state consumer:<group> and logs each open and close once", async () => {
  const registry = createRegistry("test");
  const events: string[] = [];
  const gate = gateOf({ registry, log: (event) => events.push(event) });
  const state = async () =>
    (await registry.getSingleMetric("circuit_breaker_state")!.get()).values.find((v) =>
      v.labels.name === "consumer:ledger"
    )?.value;
  assert.equal(await state(), 0);
  gate.settle((await gate.admit(false, running()))!, "transient");
  assert.equal(await state(), 1);
  for (let i = 0; i < 5; i++) {
    const probe = await gate.admit(true, running());
    assert.equal(await state(), 2);
    gate.settle(probe!, i < 4 ? "transient" : "ok");
  }
  assert.equal(await state(), 0);
  assert.deepEqual(events, ["consumer_gate_opened", "consumer_gate_closed"]);
});
