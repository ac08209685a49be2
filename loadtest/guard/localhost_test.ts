import assert from "node:assert/strict";
import { assertLoopbackTarget, isLoopbackHost, loopbackTargetError } from "./localhost.ts";

Deno.test("loopback targets are accepted: 127.0.0.0/8, localhost and [::1], any port", () => {
  for (
    const target of [
      "http://127.0.0.1:8080",
      "http://localhost:8080/",
      "http://LOCALHOST",
      "http://127.3.4.5:9",
      "http://[::1]:8080",
      "http://127.1:8080",
      "http://2130706433/",
    ]
  ) {
    assert.equal(loopbackTargetError(target), undefined, target);
  }
});

Deno.test("every other target is refused before anything is sent, with the reason", () => {
  const refused: Array<[string, RegExp]> = [
    ["http://10.0.0.5:8080", /must be on this machine .*: 10\.0\.0\.5/],
    ["http://192.168.1.10", /must be on this machine/],
    ["http://172.16.0.1", /must be on this machine/],
    ["http://example.com", /must be on this machine .*: example\.com/],
    ["http://localhost.example.com", /must be on this machine/],
    ["http://localhost.", /must be on this machine/],
    ["http://0.0.0.0:8080", /must be on this machine/],
    ["http://[::ffff:127.0.0.1]", /must be on this machine/],
    ["https://127.0.0.1", /must be http:\/\//],
    ["ftp://127.0.0.1", /must be http:\/\//],
    ["http://user:pw@127.0.0.1", /must not carry credentials/],
    ["127.0.0.1:8080", /must be http:\/\/|is not a URL/],
    ["not a url", /Target is not a URL: not a url/],
  ];
  for (const [target, reason] of refused) {
    assert.match(loopbackTargetError(target) ?? "accepted", reason, target);
  }
  assert.throws(
    () => assertLoopbackTarget("http://8.8.8.8"),
    /must be on this machine .*: 8\.8\.8\.8/,
  );
});

Deno.test("host checks look at the whole address, not a prefix", () => {
  assert.equal(isLoopbackHost("127.0.0.1"), true);
  assert.equal(isLoopbackHost("127.0.0.256"), false);
  assert.equal(isLoopbackHost("128.0.0.1"), false);
  assert.equal(isLoopbackHost("127.0.0.1.nip.io"), false);
});
