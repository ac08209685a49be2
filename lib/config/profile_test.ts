import assert from "node:assert/strict";
import { ConfigError } from "./env.ts";
import { profileNeedsRedis, readProfileConfig } from "./profile.ts";

Deno.test("the profile is embedded with data under .data unless configured", () => {
  assert.deepEqual(readProfileConfig({}), { profile: "embedded", dataDir: ".data" });
  assert.deepEqual(readProfileConfig({ PROFILE: "scale-out" }), {
    profile: "scale-out",
    dataDir: ".data",
  });
  assert.deepEqual(readProfileConfig({ PROFILE: "embedded", DATA_DIR: "/var/lib/pay" }), {
    profile: "embedded",
    dataDir: "/var/lib/pay",
  });
});

Deno.test("an unknown profile stops start-up with a message naming PROFILE", () => {
  assert.throws(() => readProfileConfig({ PROFILE: "laptop" }), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /PROFILE: .*\(got "laptop"\)/);
    return true;
  });
});

Deno.test("only the scale-out profile connects to Redis", () => {
  assert.equal(profileNeedsRedis("scale-out"), true);
  assert.equal(profileNeedsRedis("embedded"), false);
});
