import assert from "node:assert/strict";
import { checkCatalogs } from "@pay/lib/i18n";
import { createStoreI18n, storeCatalogs } from "./i18n.ts";

Deno.test("every message of the shop parses in both languages", () => {
  assert.deepEqual(checkCatalogs(storeCatalogs), []);
  assert.deepEqual(Object.keys(storeCatalogs.ko).sort(), Object.keys(storeCatalogs.en).sort());
});

Deno.test("shoppers read states as a shop names them, never the platform's state names", () => {
  const ko = createStoreI18n("ko", "Asia/Seoul");
  const en = createStoreI18n("en", "Asia/Seoul");
  assert.equal(ko.t("payment.status", { status: "CAPTURED" }), "결제 완료");
  assert.equal(ko.t("payment.status", { status: "CAPTURE_REQUESTED" }), "결제 처리 중");
  assert.equal(ko.t("payment.status", { status: "REFUND_REQUESTED" }), "환불 처리 중");
  assert.equal(en.t("payment.status", { status: "CAPTURE_REQUESTED" }), "Payment in progress");
  for (const i18n of [ko, en]) {
    for (const key of ["payment.status", "payment.step"] as const) {
      for (const status of ["CAPTURE_REQUESTED", "PARTIALLY_REFUNDED", "AUTH_FAILED"]) {
        assert.doesNotMatch(i18n.t(key, { status }), /[A-Z]{2,}_[A-Z]+/);
      }
    }
  }
});

Deno.test("Korean pages write won after the number and times in Seoul", () => {
  const ko = createStoreI18n("ko", "Asia/Seoul");
  assert.equal(ko.t("checkout.pay", { amount: ko.money(1_690_000) }), "1,690,000원 결제하기");
  assert.equal(ko.time("2025-11-24T01:32:05Z"), "2025년 11월 24일 오전 10시 32분 5초 GMT+9");
  const en = createStoreI18n("en", "UTC");
  assert.equal(en.t("checkout.pay", { amount: en.money(1_690_000) }), "Pay ₩1,690,000");
  assert.equal(en.t("shell.cartCount", { count: 1 }), "1 item in the cart");
  assert.equal(en.list(["a × 1", "b × 2"]), "a × 1, b × 2");
});
