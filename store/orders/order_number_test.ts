import assert from "node:assert/strict";
import { newOrderNumber, normalizeOrderNumber } from "./order_number.ts";

Deno.test("an order number is the shop's calendar day and 8 unambiguous characters", () => {
  const number = newOrderNumber(new Date("2025-11-23T16:30:00Z"), "Asia/Seoul");
  assert.match(number, /^20251124-[0-9A-HJKMNP-TV-Z]{8}$/);
  assert.notEqual(number, newOrderNumber(new Date("2025-11-23T16:30:00Z"), "Asia/Seoul"));
});

Deno.test("an order number is read as typed: case, spaces, a missing dash, O and I/L", () => {
  assert.equal(normalizeOrderNumber(" 20251124-7kq3m9tx "), "20251124-7KQ3M9TX");
  assert.equal(normalizeOrderNumber("20251124 7KQ3 M9TX"), "20251124-7KQ3M9TX");
  assert.equal(normalizeOrderNumber("20251124-7KQ3M9TO"), "20251124-7KQ3M9T0");
  assert.equal(normalizeOrderNumber("20251124-IKQ3M9TL"), "20251124-1KQ3M9T1");
  assert.equal(normalizeOrderNumber("2025112-7KQ3M9TX"), undefined);
  assert.equal(normalizeOrderNumber("20251124-7KQ3M9TU"), undefined);
  assert.equal(normalizeOrderNumber("ord_0000000000aaaaaaaaaaaaaaaa"), undefined);
});
