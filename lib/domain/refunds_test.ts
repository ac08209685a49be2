import assert from "node:assert/strict";
import { isRefundId, newRefundRequestId } from "./ids.ts";
import { refundStatusOf } from "./refunds.ts";

Deno.test("refund statuses read the stored request states, and refund ids are ref_ ids", () => {
  assert.equal(refundStatusOf("PENDING"), "PENDING");
  assert.equal(refundStatusOf("SUCCESS"), "SUCCEEDED");
  assert.equal(refundStatusOf("FAILED"), "FAILED");
  assert.throws(() => refundStatusOf("DONE"), /Unknown refund request status: DONE/);
  assert.ok(isRefundId(newRefundRequestId()));
  assert.ok(!isRefundId("pay_01jf3x4k5m6n7p8q9r0s1t2v3w") && !isRefundId("ref_x"));
});
