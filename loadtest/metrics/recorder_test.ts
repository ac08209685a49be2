import assert from "node:assert/strict";
import { errorKey, Recorder } from "./recorder.ts";

const stages = [{ name: "a", durationMs: 1_000 }, { name: "b", durationMs: 1_000 }];

Deno.test("each second's sample holds only that second, while stage and overall figures accumulate", () => {
  const recorder = new Recorder(stages);
  recorder.started(0, 0, 10);
  recorder.ok("authorize", 0, 5);
  const first = recorder.tick(1, 50, 1);
  recorder.started(1, 30, 10);
  recorder.ok("authorize", 1, 50);
  recorder.dropped(1);
  const second = recorder.tick(2, 100, 0);
  assert.deepEqual([first.started, first.operations.authorize?.ok, first.intervalS], [1, 1, 1]);
  assert.deepEqual([second.started, second.late, second.dropped, second.operations.authorize?.ok], [
    1,
    1,
    1,
    1,
  ]);
  assert.equal(Math.round(second.operations.authorize!.p99Ms), 50);
  assert.equal(recorder.overall().authorize?.ok, 2);
  assert.deepEqual(recorder.stageReports().map((s) => [s.name, s.started, s.dropped, s.late]), [
    ["a", 1, 0, 0],
    ["b", 1, 1, 1],
  ]);
  assert.equal(recorder.timeline().length, 2);
  recorder.close();
});

Deno.test("an operation with no sample in a second is absent from that second's sample", () => {
  const recorder = new Recorder(stages);
  recorder.ok("capture", 0, 3);
  recorder.tick(1, 0, 0);
  assert.equal(recorder.tick(2, 0, 0).operations.capture, undefined);
  recorder.close();
});

Deno.test("records after close are ignored: an abandoned iteration answering late changes nothing", () => {
  const recorder = new Recorder(stages);
  recorder.close();
  recorder.ok("authorize", 0, 1);
  assert.equal(recorder.overall().authorize, undefined);
});

Deno.test("error keys name operation, status or transport error, and problem code", () => {
  assert.equal(
    errorKey("authorize", 503, "upstream_unavailable"),
    "authorize 503 upstream_unavailable",
  );
  assert.equal(errorKey("capture", "ECONNREFUSED"), "capture ECONNREFUSED");
});
