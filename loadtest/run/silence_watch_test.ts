import assert from "node:assert/strict";
import type { SecondSample } from "../metrics/recorder.ts";
import { SilenceWatch } from "./silence_watch.ts";

function second(atS: number, answers: number, started = 10, inFlight = 0): SecondSample {
  return {
    atS,
    intervalS: 1,
    targetRate: 10,
    started,
    dropped: 0,
    late: 0,
    answers,
    inFlight,
    operations: {},
  };
}

Deno.test("a target silent for the limit while requests go out stops the run", () => {
  const watch = new SilenceWatch(3_000);
  assert.deepEqual([1, 2, 3].map((s) => watch.observe(second(s, 0))), [false, false, true]);
  assert.equal(watch.silentS(3), 3);
});

Deno.test("any answer resets the silence; idle seconds neither count nor reset it", () => {
  const watch = new SilenceWatch(3_000);
  assert.equal(watch.observe(second(1, 0)), false);
  assert.equal(watch.observe(second(2, 1)), false);
  assert.equal(watch.observe(second(3, 0)), false);
  assert.equal(watch.observe(second(4, 0, 0, 0)), false);
  assert.equal(watch.observe(second(5, 0)), true, "silent since 2 s, 3 s ago");
});

Deno.test("requests still in flight count as asked; a limit of 0 never stops", () => {
  assert.equal(new SilenceWatch(1_000).observe(second(1, 0, 0, 25)), true);
  const never = new SilenceWatch(0);
  for (let s = 1; s < 100; s++) assert.equal(never.observe(second(s, 0)), false);
});
