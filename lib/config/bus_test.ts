import assert from "node:assert/strict";
import { readBusConfig } from "./bus.ts";
import { ConfigError } from "./env.ts";

Deno.test("the bus defaults to the embedded log with bounded retries and retention", () => {
  const config = readBusConfig({});
  assert.equal(config.kind, "embedded");
  assert.equal(config.retryAttemptsMax, 3);
  assert.equal(config.claimIdleMs, 30_000);
  assert.equal(config.streamMaxLen, 200_000);
  assert.ok(Object.isFrozen(config) && Object.isFrozen(config.kafka));
});

Deno.test("BUS=kafka needs KAFKA_BROKERS and splits the list", () => {
  assert.throws(() => readBusConfig({ BUS: "kafka" }), /KAFKA_BROKERS: required when BUS=kafka/);
  const config = readBusConfig({ BUS: "kafka", KAFKA_BROKERS: "k1:9092, k2:9092" });
  assert.deepEqual(config.kafka.brokers, ["k1:9092", "k2:9092"]);
});

Deno.test("a bad bus variable stops start-up naming it", () => {
  assert.throws(() => readBusConfig({ BUS: "rabbit" }), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, /BUS: .*\(got "rabbit"\)/);
    return true;
  });
  assert.throws(
    () => readBusConfig({ BUS_CLAIM_IDLE: "soon" }),
    /BUS_CLAIM_IDLE: expected a duration/,
  );
  assert.throws(
    () => readBusConfig({ BUS_RETRY_BACKOFF_BASE_MS: "500", BUS_RETRY_BACKOFF_CAP_MS: "100" }),
    /BUS_RETRY_BACKOFF_CAP_MS/,
  );
});

Deno.test("transient retries and Kafka group timeouts have defaults that move a dead worker's partitions fast", () => {
  const config = readBusConfig({});
  assert.equal(config.transientBackoffCapMs, 5_000);
  assert.deepEqual(
    [config.kafka.sessionTimeoutMs, config.kafka.heartbeatIntervalMs, config.kafka.topicPrefix],
    [10_000, 1_000, ""],
  );
  assert.equal(config.kafka.rebalanceTimeoutMs, 30_000);
});

Deno.test("Kafka heartbeats must fit well inside the session, and the prefix must be a Kafka name", () => {
  assert.throws(
    () => readBusConfig({ KAFKA_SESSION_TIMEOUT_MS: "6000", KAFKA_HEARTBEAT_INTERVAL_MS: "3000" }),
    /KAFKA_HEARTBEAT_INTERVAL_MS: must be at most a third/,
  );
  assert.throws(() => readBusConfig({ KAFKA_TOPIC_PREFIX: "run 1/" }), /KAFKA_TOPIC_PREFIX/);
  assert.equal(readBusConfig({ KAFKA_TOPIC_PREFIX: "e2e.x1-2_" }).kafka.topicPrefix, "e2e.x1-2_");
  assert.throws(
    () => readBusConfig({ BUS_RETRY_BACKOFF_BASE_MS: "500", BUS_TRANSIENT_BACKOFF_CAP_MS: "100" }),
    /BUS_TRANSIENT_BACKOFF_CAP_MS/,
  );
});

Deno.test("BUS=embedded keeps its log in .data/bus.sqlite3 unless BUS_EMBEDDED_PATH names another file", () => {
  assert.equal(readBusConfig({ BUS: "embedded" }).embeddedPath, ".data/bus.sqlite3");
  const config = readBusConfig({ BUS: "embedded", BUS_EMBEDDED_PATH: "/var/lib/pay/bus.db" });
  assert.deepEqual([config.kind, config.embeddedPath], ["embedded", "/var/lib/pay/bus.db"]);
  assert.throws(
    () => readBusConfig({ BUS_EMBEDDED_PATH: " " }),
    /BUS_EMBEDDED_PATH: must name a file/,
  );
});

Deno.test("PROFILE=embedded runs the embedded bus under DATA_DIR unless BUS names another", () => {
  const embedded = readBusConfig({ PROFILE: "embedded", DATA_DIR: "/srv/pay" });
  assert.deepEqual([embedded.kind, embedded.embeddedPath], ["embedded", "/srv/pay/bus.sqlite3"]);
  assert.equal(readBusConfig({ PROFILE: "embedded", BUS: "memory" }).kind, "memory");
  const kafka = readBusConfig({ PROFILE: "embedded", BUS: "kafka", KAFKA_BROKERS: "k1:9092" });
  assert.equal(kafka.kind, "kafka");
  assert.equal(readBusConfig({ PROFILE: "scale-out" }).kind, "redis");
});

Deno.test("PROFILE=embedded refuses BUS=redis, explicit or not, naming the fix", () => {
  assert.throws(() => readBusConfig({ PROFILE: "embedded", BUS: "redis" }), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.deepEqual(e.problems, [
      'BUS: redis needs PROFILE=scale-out; the embedded profile opens no Redis connection (unset BUS for the embedded bus) (got "redis")',
    ]);
    return true;
  });
});
