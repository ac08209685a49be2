import assert from "node:assert/strict";
import { compactDate, formatDateTime, formatMoney, isTimeZone } from "./format.ts";

Deno.test("won are written 1,690,000원 in Korean and ₩1,690,000 in English", () => {
  assert.equal(formatMoney(1_690_000, "KRW", "ko"), "1,690,000원");
  assert.equal(formatMoney(1_690_000, "KRW", "en"), "₩1,690,000");
  assert.equal(formatMoney(0, "KRW", "ko"), "0원");
  assert.equal(formatMoney(-5_000, "KRW", "ko"), "-5,000원");
});

Deno.test("dollar amounts are cents, with two decimals in both languages", () => {
  assert.equal(formatMoney(1250, "USD", "en"), "$12.50");
  assert.equal(formatMoney(1250, "USD", "ko"), "US$12.50");
  assert.equal(formatMoney(5, "USD", "en"), "$0.05");
  assert.equal(formatMoney(1_000, "JPY", "en"), "¥1,000");
  assert.equal(formatMoney(1_234, "KWD", "en"), "KWD\u00a01.234");
});

Deno.test("times are shown in the given zone with the zone named", () => {
  const at = "2025-11-24T01:32:05Z";
  assert.equal(formatDateTime(at, "ko", "Asia/Seoul"), "2025년 11월 24일 오전 10시 32분 5초 GMT+9");
  assert.equal(formatDateTime(at, "en", "Asia/Seoul"), "Nov 24, 2025, 10:32:05 AM GMT+9");
  assert.equal(formatDateTime(new Date(at), "en", "UTC"), "Nov 24, 2025, 1:32:05 AM UTC");
  assert.equal(formatDateTime("not a time", "en", "UTC"), "not a time");
});

Deno.test("the compact date is the calendar day in the zone", () => {
  const lateUtc = new Date("2025-11-23T16:30:00Z");
  assert.equal(compactDate(lateUtc, "Asia/Seoul"), "20251124");
  assert.equal(compactDate(lateUtc, "UTC"), "20251123");
});

Deno.test("IANA zones are known, made-up ones are not", () => {
  assert.equal(isTimeZone("Asia/Seoul"), true);
  assert.equal(isTimeZone("Mars/Olympus"), false);
});
