import assert from "node:assert/strict";
import { isPaymentMode, modeOfKeyEnv } from "./payment_mode.ts";

Deno.test("a key's env gives its mode: live is live, test and the former dev are test", () => {
  assert.equal(modeOfKeyEnv("live"), "live");
  assert.equal(modeOfKeyEnv("test"), "test");
  assert.equal(modeOfKeyEnv("dev"), "test");
  assert.ok(isPaymentMode("test") && isPaymentMode("live"));
  assert.ok(!isPaymentMode("dev") && !isPaymentMode(undefined));
});
