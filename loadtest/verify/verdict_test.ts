import assert from "node:assert/strict";
import { errorRateCheck, scheduleCheck, utcDaysBetween } from "./checks.ts";
import { formatCounts, formatVerdict, verdictOf } from "./verdict.ts";

Deno.test("the verdict passes only when every check passes, and lists each with its detail", () => {
  const pass = verdictOf([{ name: "outbox drained", ok: true, detail: "0 NEW" }]);
  const fail = verdictOf([...pass.checks, {
    name: "ledger balanced",
    ok: false,
    detail: "2 unbalanced",
  }]);
  assert.equal(pass.ok, true);
  assert.equal(fail.ok, false);
  assert.equal(verdictOf([]).ok, false, "no check is no verdict");
  assert.equal(
    formatVerdict(fail),
    "Verdict: FAIL\n  ok   outbox drained   0 NEW\n  FAIL ledger balanced  2 unbalanced",
  );
});

Deno.test("the error-rate check compares failed requests with the limit", () => {
  assert.equal(errorRateCheck({ total: 1_000, errors: 10, errorRateMax: 0.01 }).ok, true);
  const failed = errorRateCheck({ total: 1_000, errors: 11, errorRateMax: 0.01 });
  assert.equal(failed.ok, false);
  assert.equal(failed.detail, "11 of 1000 requests failed (1.10%, limit 1.00%)");
  assert.equal(errorRateCheck({ total: 0, errors: 0, errorRateMax: 0 }).ok, true);
});

Deno.test("dropped iterations fail the schedule check", () => {
  assert.equal(scheduleCheck(0).ok, true);
  assert.match(scheduleCheck(3).detail, /^3 iterations dropped/);
});

Deno.test("a run crossing midnight UTC is reconciled for both days", () => {
  assert.deepEqual(
    utcDaysBetween(new Date("2026-03-01T23:59:30Z"), new Date("2026-03-02T00:00:30Z")),
    ["2026-03-01", "2026-03-02"],
  );
  assert.deepEqual(
    utcDaysBetween(new Date("2026-03-01T10:00:00Z"), new Date("2026-03-01T10:05:00Z")),
    [
      "2026-03-01",
    ],
  );
});

Deno.test("counts print largest first, the tail summarised", () => {
  const counts = new Map([["a", 1], ["b", 5], ["c", 3]]);
  assert.equal(formatCounts(counts), "5 b, 3 c, 1 a");
  assert.equal(formatCounts(counts, 2), "5 b, 3 c, ... 1 more");
});
