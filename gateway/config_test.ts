import assert from "node:assert/strict";
import {
  devApiKeyDefault,
  formerDevApiKeyDefault,
  parseUpstreamSource,
  readGatewayConfig,
  readMerchantConfig,
} from "@pay/lib/config";

Deno.test("gateway defaults: port 8080, two static ingest upstreams, ingest's body limit", () => {
  const config = readGatewayConfig({});
  assert.equal(config.port, 8080);
  assert.deepEqual(config.upstreams, {
    kind: "static",
    urls: ["http://127.0.0.1:8181", "http://127.0.0.1:8182"],
  });
  assert.equal(config.bodySizeBytesMax, 16384);
  assert.deepEqual(config.rateLimits.authorize, { perMinute: 6000, burst: 100 });
});

Deno.test("INGEST_UPSTREAMS takes a URL list or dns:host:port, and names itself when wrong", () => {
  assert.deepEqual(parseUpstreamSource("dns:ingest:8181"), {
    kind: "dns",
    host: "ingest",
    port: 8181,
  });
  assert.throws(
    () => readGatewayConfig({ INGEST_UPSTREAMS: "ftp://x" }),
    /INGEST_UPSTREAMS: expected http/,
  );
  assert.throws(
    () => readGatewayConfig({ INGEST_UPSTREAMS: "http://a:1/path" }),
    /INGEST_UPSTREAMS/,
  );
  assert.throws(
    () => readGatewayConfig({ RATE_LIMIT_READ_PER_MIN: "0" }),
    /RATE_LIMIT_READ_PER_MIN/,
  );
});

Deno.test("the dev merchant's well-known keys are refused in production", () => {
  const dev = readMerchantConfig({});
  assert.equal(dev.devApiKey, devApiKeyDefault);
  assert.match(devApiKeyDefault, /^sk_test_/);
  assert.deepEqual(dev.formerDevApiKeys, [formerDevApiKeyDefault]);
  assert.equal(dev.apiKeyEnv, "test");
  assert.equal(readMerchantConfig({ PAY_ENV: "test" }).apiKeyEnv, "test");
  assert.throws(() => readMerchantConfig({ PAY_ENV: "production" }), /DEV_API_KEY/);
  assert.throws(
    () => readMerchantConfig({ PAY_ENV: "production", DEV_API_KEY: formerDevApiKeyDefault }),
    /DEV_API_KEY/,
  );
  for (const own of ["sk_live_abcdefgh12345678_", "pk_live_abcdefgh12345678_"]) {
    const key = own + "s".repeat(32);
    const live = readMerchantConfig({ PAY_ENV: "production", DEV_API_KEY: key });
    assert.equal(live.devApiKey, key);
    assert.deepEqual(live.formerDevApiKeys, []);
    assert.equal(live.apiKeyEnv, "live");
  }
  // The former default configured as the key itself is not listed twice.
  assert.deepEqual(
    readMerchantConfig({ DEV_API_KEY: formerDevApiKeyDefault }).formerDevApiKeys,
    [],
  );
  for (const bad of ["secret", `sk_dev_abcdefgh12345678_${"s".repeat(32)}`]) {
    assert.throws(() => readMerchantConfig({ DEV_API_KEY: bad }), /DEV_API_KEY: must look like/);
  }
});
