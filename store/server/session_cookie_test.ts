import assert from "node:assert/strict";
import {
  csrfTokenFor,
  isValidCsrfToken,
  newSessionId,
  readCookie,
  sessionCookieHeader,
  signSessionId,
  verifySessionCookie,
} from "./session_cookie.ts";

const secret = "test-secret-test-secret-test-secret-00";

Deno.test("a signed session id verifies and a tampered one does not", () => {
  const id = newSessionId();
  const cookie = signSessionId(secret, id);
  assert.equal(verifySessionCookie(secret, cookie), id);
  const other = newSessionId();
  assert.equal(verifySessionCookie(secret, `${other}.${cookie.split(".")[1]}`), undefined);
  assert.equal(verifySessionCookie("another-secret-another-secret-0000", cookie), undefined);
  assert.equal(verifySessionCookie(secret, id), undefined);
  assert.equal(verifySessionCookie(secret, `${cookie}.x`), undefined);
});

Deno.test("a CSRF token is valid only for the session it was made for", () => {
  const a = newSessionId();
  const b = newSessionId();
  assert.ok(isValidCsrfToken(secret, a, csrfTokenFor(secret, a)));
  assert.ok(!isValidCsrfToken(secret, b, csrfTokenFor(secret, a)));
  assert.ok(!isValidCsrfToken(secret, a, undefined));
  assert.ok(!isValidCsrfToken(secret, a, ""));
});

Deno.test("the session cookie is HttpOnly and SameSite=Lax, Secure when asked", () => {
  const plain = sessionCookieHeader("v", { secure: false, maxAgeSeconds: 60 });
  assert.match(plain, /HttpOnly/);
  assert.match(plain, /SameSite=Lax/);
  assert.doesNotMatch(plain, /Secure/);
  assert.match(sessionCookieHeader("v", { secure: true, maxAgeSeconds: 60 }), /; Secure$/);
});

Deno.test("cookies are read by exact name", () => {
  const request = new Request("http://x/", { headers: { cookie: "a_store_sid=1; store_sid=2" } });
  assert.equal(readCookie(request, "store_sid"), "2");
  assert.equal(readCookie(request, "missing"), undefined);
});
