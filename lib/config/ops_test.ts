import assert from "node:assert/strict";
import { ConfigError } from "./env.ts";
import { devOpsToken, readOpsConfig } from "./ops.ts";

Deno.test("the ops token: the development default only in development, refused when short", () => {
  assert.equal(readOpsConfig({}).token, devOpsToken);
  assert.equal(readOpsConfig({}).devToken, true);
  assert.equal(readOpsConfig({ PAY_ENV: "production" }).token, null);
  assert.equal(readOpsConfig({ PAY_ENV: "test" }).token, null);
  const token = "p".repeat(32);
  assert.deepEqual(
    [
      readOpsConfig({ PAY_ENV: "production", OPS_TOKEN: token }).token,
      readOpsConfig({ OPS_TOKEN: token }).devToken,
    ],
    [token, false],
  );
  assert.throws(
    () => readOpsConfig({ OPS_TOKEN: "short" }),
    /OPS_TOKEN: must be at least 32 characters/,
  );
  assert.throws(
    () => readOpsConfig({ PAY_ENV: "production", OPS_TOKEN: devOpsToken }),
    /OPS_TOKEN: the development token is refused in production/,
  );
});

Deno.test("scrape targets parse as name=url pairs and bad ones name the variable", () => {
  const config = readOpsConfig({
    OPS_SCRAPE_TARGETS: "gateway=http://127.0.0.1:8080, workers=http://w:8084/",
  });
  assert.deepEqual(config.scrapeTargets, [
    { name: "gateway", url: "http://127.0.0.1:8080" },
    { name: "workers", url: "http://w:8084" },
  ]);
  assert.equal(readOpsConfig({}).scrapeTargets.length, 5);
  assert.throws(() => readOpsConfig({ OPS_SCRAPE_TARGETS: "gateway" }), ConfigError);
  assert.throws(
    () => readOpsConfig({ OPS_SCRAPE_TARGETS: "a=http://x:1,a=http://y:2" }),
    /appears twice/,
  );
  assert.throws(() => readOpsConfig({ OPS_SCRAPE_INTERVAL_MS: "10" }), /OPS_SCRAPE_INTERVAL_MS/);
});
