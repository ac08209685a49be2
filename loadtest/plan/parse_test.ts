import assert from "node:assert/strict";
import { checkPlan, parseDuration, parsePlanJson, parseRate, parseStages } from "./parse.ts";

Deno.test("durations read like k6's: 1m30s, 45s, 250ms, 2h, 1.5s", () => {
  assert.equal(parseDuration("1m30s"), 90_000);
  assert.equal(parseDuration("45s"), 45_000);
  assert.equal(parseDuration("250ms"), 250);
  assert.equal(parseDuration("2h"), 7_200_000);
  assert.equal(parseDuration("1.5s"), 1_500);
  for (const bad of ["", "10", "s", "10 s", "1x", "-1s"]) {
    assert.throws(() => parseDuration(bad), /Expected a duration like 30s/, bad);
  }
});

Deno.test("stages read as [name=]duration:target, numbered when unnamed", () => {
  assert.deepEqual(parseStages("warm-up=30s:100, 1m:200,cool=10s:0"), [
    { name: "warm-up", durationMs: 30_000, target: 100 },
    { name: "stage-2", durationMs: 60_000, target: 200 },
    { name: "cool", durationMs: 10_000, target: 0 },
  ]);
  assert.throws(() => parseStages(""), /Expected stages like/);
  assert.throws(() => parseStages("30s"), /Expected a stage like \[name=\]30s:100: 30s/);
  assert.throws(() => parseStages("30s:-1"), /Expected a stage like/);
  assert.throws(() => parseStages("30x:1"), /Expected a duration/);
});

Deno.test("a stages file in k6's shape gives the plan; a malformed one names the problem", () => {
  assert.deepEqual(
    parsePlanJson(
      '{"startRate":20,"stages":[{"duration":"30s","target":100},{"name":"hold","duration":"1m","target":100}]}',
    ),
    {
      startRate: 20,
      stages: [
        { name: "stage-1", durationMs: 30_000, target: 100 },
        { name: "hold", durationMs: 60_000, target: 100 },
      ],
    },
  );
  assert.throws(() => parsePlanJson("{"), /Stages file is not JSON/);
  assert.throws(() => parsePlanJson("[]"), /must be an object with a "stages" array/);
  assert.throws(
    () => parsePlanJson('{"stages":[{"duration":30,"target":1}]}'),
    /Stage 1 needs "duration"/,
  );
  assert.throws(() => parsePlanJson('{"stages":[]}'), /The plan has no stages/);
});

Deno.test("rates are bounded and plans longer than two hours are refused", () => {
  assert.equal(parseRate("3000"), 3000);
  assert.throws(() => parseRate("-5"), /Expected rate between 0 and 1000000 per second: -5/);
  assert.throws(() => parseRate("fast"), /Expected rate/);
  assert.throws(
    () =>
      checkPlan({ startRate: 0, stages: [{ name: "long", durationMs: 3 * 3_600_000, target: 1 }] }),
    /The plan lasts 10800 s, more than 7200 s/,
  );
});
