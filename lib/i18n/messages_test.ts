import assert from "node:assert/strict";
import { type Catalogs, checkCatalogs, createTranslator } from "./messages.ts";

const en = {
  items: "{count, plural, one {# item} other {# items}}",
  greeting: "Hello, {name}",
} as const;
const catalogs: Catalogs<typeof en> = {
  en,
  ko: { items: "{count}개", greeting: "{name}님, 안녕하세요" },
};

Deno.test("messages are formatted with plurals and values in the reader's language", () => {
  const t = createTranslator(catalogs, "en");
  assert.equal(t("items", { count: 1 }), "1 item");
  assert.equal(t("items", { count: 1_000 }), "1,000 items");
  assert.equal(t("greeting", { name: "Ji-woo" }), "Hello, Ji-woo");
  const ko = createTranslator(catalogs, "ko");
  assert.equal(ko("items", { count: 3 }), "3개");
  assert.equal(ko("greeting", { name: "지우" }), "지우님, 안녕하세요");
});

Deno.test("a broken message is reported by the catalog check", () => {
  assert.deepEqual(checkCatalogs(catalogs), []);
  const broken = { en: { a: "{count, plural, one {x}" }, ko: { a: "ok" } };
  assert.equal(checkCatalogs(broken).length, 1);
  assert.match(checkCatalogs(broken)[0]!, /^en a: /);
});
