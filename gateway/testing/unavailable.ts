import assert from "node:assert/strict";

/** Driver and socket text that must never reach a client: hosts, ports, users, error codes. */
const internals = /127\.0\.0\.1|localhost|:\d{4,5}\b|root|Access denied|ECONN|ER_|errno|Error:/i;

/** Asserts a 503 problem+json with Retry-After, `code`, and no internals; returns its body. */
export async function assertUnavailable(res: Response, code: string): Promise<string> {
  const text = await res.text();
  assert.equal(res.status, 503, text);
  assert.equal(res.headers.get("content-type"), "application/problem+json");
  assert.ok(Number(res.headers.get("retry-after")) >= 1, "Retry-After");
  assert.equal(JSON.parse(text).code, code);
  assert.doesNotMatch(text, internals);
  return text;
}
