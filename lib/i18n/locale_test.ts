import assert from "node:assert/strict";
import { chooseLocale, localeCookieHeader, negotiateLocale } from "./locale.ts";

Deno.test("a Korean browser gets Korean, an English one English", () => {
  assert.equal(negotiateLocale("ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7", "en"), "ko");
  assert.equal(negotiateLocale("en-US,en;q=0.9,ko;q=0.8", "ko"), "en");
  assert.equal(negotiateLocale("KO", "en"), "ko");
});

Deno.test("quality values rank languages, ties keep the browser's order", () => {
  assert.equal(negotiateLocale("en;q=0.5, ko;q=0.8", "en"), "ko");
  assert.equal(negotiateLocale("fr-FR, ko;q=0.3, en;q=0.3", "en"), "ko");
  assert.equal(negotiateLocale("ko;q=0, en;q=0.1", "ko"), "en");
});

Deno.test("no supported language, or no header, falls back", () => {
  assert.equal(negotiateLocale("fr-FR,de;q=0.8", "en"), "en");
  assert.equal(negotiateLocale(null, "ko"), "ko");
  assert.equal(negotiateLocale("", "en"), "en");
  assert.equal(negotiateLocale("ko;q=banana", "en"), "ko");
});

Deno.test("a language link wins and is remembered; the cookie wins over the browser", () => {
  const browser = "ko-KR,ko;q=0.9";
  assert.deepEqual(
    chooseLocale({ query: "en", cookie: undefined, acceptLanguage: browser }, "en"),
    {
      locale: "en",
      remember: true,
    },
  );
  assert.deepEqual(chooseLocale({ query: null, cookie: "en", acceptLanguage: browser }, "en"), {
    locale: "en",
    remember: false,
  });
  assert.deepEqual(chooseLocale({ query: "en", cookie: "en", acceptLanguage: browser }, "en"), {
    locale: "en",
    remember: false,
  });
  assert.deepEqual(chooseLocale({ query: "xx", cookie: "zz", acceptLanguage: browser }, "en"), {
    locale: "ko",
    remember: false,
  });
});

Deno.test("the language cookie is readable by the page's server only on this site", () => {
  assert.equal(
    localeCookieHeader("store_lang", "ko", true),
    "store_lang=ko; Path=/; SameSite=Lax; Max-Age=31536000; Secure",
  );
});
