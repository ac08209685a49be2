import assert from "node:assert/strict";
import {
  type BenchMeasurements,
  evaluateTargets,
  formatBenchTable,
  overloadRow,
  ratiosOf,
} from "./summary.ts";

const capacity = (okPerSecond: number, p99Ms = 20) => ({
  ok: okPerSecond * 10,
  errors: 0,
  okPerSecond,
  p50Ms: 5,
  p99Ms,
});

const passing: BenchMeasurements = {
  direct: capacity(4_000),
  gateway: capacity(3_200),
  nginx: capacity(3_600),
  raw: capacity(6_000),
  embeddedGateway: capacity(1_600),
  sustained: {
    rate: 3_000,
    seconds: 60,
    okPerSecond: 3_000,
    p50Ms: 8,
    p99Ms: 45,
    errors: 0,
    dropped: 0,
  },
  flow: {
    rate: 1_000,
    seconds: 30,
    okPerSecond: 999.5,
    p50Ms: 9,
    p99Ms: 40,
    errors: 0,
    dropped: 0,
    completionP50Ms: 120,
    completionP99Ms: 640,
  },
  relay: {
    events: 60_000,
    seconds: 4,
    eventsPerSecond: 15_000,
    drained: true,
    lanes: 2,
    batchSize: 500,
  },
  generator: {
    rate: 3_000,
    seconds: 5,
    okPerSecond: 3_000,
    corePercent: 31.4,
    p50Ms: 0.9,
    p99Ms: 12,
    late: 40,
    dropped: 0,
  },
  overload: {
    rate: 32_000,
    seconds: 15,
    capacityPerSecond: 3_200,
    goodputPerSecond: 3_040,
    acceptedP50Ms: 40,
    acceptedP99Ms: 310,
    shed: 434_400,
    shedP50Ms: 0.35,
    shedP99Ms: 2.4,
    errors: 0,
    errorKinds: [{ key: "authorize 503 overloaded", count: 434_400 }],
  },
};

Deno.test("ratios compare throughput side by side: gateway/direct, gateway/nginx, authorize/raw", () => {
  const r = ratiosOf(passing);
  assert.equal(r.gatewayToDirect, 0.8);
  assert.equal(r.gatewayToNginx!.toFixed(3), "0.889");
  assert.equal(r.authorizeToRaw.toFixed(3), "0.533");
  assert.equal(ratiosOf({ ...passing, nginx: undefined }).gatewayToNginx, undefined);
  assert.equal(r.embeddedToScaleOut, 0.5);
  assert.equal(r.overloadGoodputToCapacity, 0.95);
});

Deno.test("targets are met when every figure reaches its bound", () => {
  const targets = evaluateTargets(passing, ratiosOf(passing));
  assert.deepEqual(targets.map((t) => [t.name, t.met]), [
    ["authorize through the gateway", true],
    ["full flow", true],
    ["gateway / direct", true],
    ["authorize / raw DB transaction", true],
    ["overload (10x capacity offered)", true],
  ]);
});

Deno.test("goodput under 90% of capacity or an accepted p99 over 1 s misses the overload target", () => {
  for (const change of [{ goodputPerSecond: 2_879 }, { acceptedP99Ms: 1_001 }]) {
    const m = { ...passing, overload: { ...passing.overload, ...change } };
    const target = evaluateTargets(m, ratiosOf(m))[4]!;
    assert.equal(target.met, false, JSON.stringify(change));
  }
  const m = { ...passing, overload: { ...passing.overload, goodputPerSecond: 2_880 } };
  assert.equal(evaluateTargets(m, ratiosOf(m))[4]!.actual, "0.90, p99 310 ms");
});

Deno.test("the overload row shows the offered rate, goodput, accepted latency, goodput/capacity and the shed", () => {
  const row = overloadRow(passing.overload, ratiosOf(passing));
  assert.match(
    row,
    /^\(h\) authorize 32000\/s \(10x capacity\), 15 s\s+3040 req\/s\s+40\.0\s+310\s+0 goodput\/capacity 0\.95; 434400 shed, p99 2\.40 ms$/,
  );
});

Deno.test("one error, one dropped start, a slow p99 or a short run misses the authorize target", () => {
  const misses = [
    { errors: 1 },
    { dropped: 1 },
    { p99Ms: 50.1 },
    { seconds: 30 },
    { okPerSecond: 2_990 },
  ];
  for (const change of misses) {
    const m = { ...passing, sustained: { ...passing.sustained, ...change } };
    assert.equal(evaluateTargets(m, ratiosOf(m))[0]!.met, false, JSON.stringify(change));
  }
});

Deno.test("a capture completion p99 over 1 s misses the flow target", () => {
  const m = { ...passing, flow: { ...passing.flow, completionP99Ms: 1_001 } };
  const flow = evaluateTargets(m, ratiosOf(m))[1]!;
  assert.equal(flow.met, false);
  assert.equal(flow.actual, "1000 flows/s, p99 1001 ms");
});

Deno.test("the table has one row per measurement with its ratio, then the targets", () => {
  const m = { ...passing, gateway: capacity(2_000) };
  const r = ratiosOf(m);
  const table = formatBenchTable(m, r, evaluateTargets(m, r)).split("\n");
  assert.match(table[0]!, /^measurement\s+rate\s+p50 ms\s+p99 ms\s+errors\s+ratio$/);
  assert.match(
    table[1]!,
    /^\(a\) authorize direct → 1 ingest \(signed\)\s+4000 req\/s\s+5\.00\s+20\.0\s+0$/,
  );
  assert.match(table[2]!, /gateway\/direct 0\.50$/);
  assert.match(
    table[3]!,
    /^\(b\) authorize → nginx → 2 ingest\s+3600 req\/s .* gateway\/nginx 0\.56$/,
  );
  assert.match(
    table[4]!,
    /^\(c\) raw MariaDB transaction, same writes\s+6000 tx\/s .* authorize\/raw 0\.33$/,
  );
  assert.match(table[7]!, /^\(d\) outbox relay\s+15000 events\/s/);
  assert.match(table[8]!, /^\(e\) capture request → CAPTURED\s+120\s+640/);
  assert.match(
    table[9]!,
    /^\(f\) generator alone, 3000\/s vs static nginx\s+3000 req\/s .* CPU 31% of a core, 40 late$/,
  );
  assert.match(
    table[10]!,
    /^\(g\) authorize → gateway → 2 ingest, embedded\s+1600 req\/s .* embedded\/scale-out 0\.80$/,
  );
  assert.match(table[11]!, /^\(h\) authorize 32000\/s .* goodput\/capacity 0\.95; 434400 shed/);
  assert.ok(table.includes("Targets"));
  assert.ok(
    table.some((l) => /^ {2}NOT MET gateway \/ direct .* wanted ≥ 0\.70; got 0\.50$/.test(l)),
  );
  assert.ok(table.some((l) => /^ {2}met {5}authorize through the gateway/.test(l)));
});

Deno.test("without nginx the comparison rows say so", () => {
  const m = { ...passing, nginx: undefined, generator: undefined };
  const r = ratiosOf(m);
  const table = formatBenchTable(m, r, evaluateTargets(m, r));
  assert.match(table, /nginx → 2 ingest\s+n\/a\s+nginx not installed/);
  assert.match(table, /generator alone vs static nginx\s+n\/a\s+nginx not installed/);
});
