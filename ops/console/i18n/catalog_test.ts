import assert from "node:assert/strict";
import { checkCatalogs } from "@pay/lib/i18n";
import { consoleCatalogs, createConsoleI18n } from "./i18n.ts";

Deno.test("every console message parses in both languages", () => {
  assert.deepEqual(checkCatalogs(consoleCatalogs), []);
  assert.deepEqual(Object.keys(consoleCatalogs.ko).sort(), Object.keys(consoleCatalogs.en).sort());
});

Deno.test("the console writes amounts, durations and times per language", () => {
  const ko = createConsoleI18n("ko", "Asia/Seoul");
  const en = createConsoleI18n("en", "UTC");
  assert.equal(ko.money(10_000, "KRW"), "10,000원");
  assert.equal(en.money(1250, "USD"), "$12.50");
  assert.equal(en.seconds(0.25), "250 ms");
  assert.equal(ko.seconds(1.5), "1.5초");
  assert.equal(en.seconds(600), "10 min");
  assert.equal(en.percent(0.055), "5.5%");
  assert.equal(en.time(null), "-");
  assert.equal(en.time("2025-01-31T12:00:00Z"), "Jan 31, 2025, 12:00:00 PM UTC");
  assert.equal(ko.t("notice.replayed", { count: 2 }), "데드 레터 2건을 재처리했습니다");
  assert.equal(en.t("notice.replayed", { count: 1 }), "Replayed 1 dead letter");
});
