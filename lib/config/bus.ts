import { z } from "zod";
import { join } from "node:path";
import { ConfigError, durationVar, type Env, intVar, parseEnv, stringVar } from "./env.ts";
import { type Profile, readProfileConfig } from "./profile.ts";

export const busKinds = ["redis", "kafka", "embedded", "memory"] as const;
export type BusKind = typeof busKinds[number];

/** The bus of each profile when BUS is unset: the one the profile's other roles already need. */
export const busKindDefaults: Readonly<Record<Profile, BusKind>> = {
  "scale-out": "redis",
  embedded: "embedded",
};

/** File name of the embedded bus's log under DATA_DIR (when BUS_EMBEDDED_PATH is unset). */
export const embeddedBusFileName = "bus.sqlite3";

export const busVars = {
  BUS: z.enum(busKinds).optional().describe(
    "Event bus adapter: redis (Streams; the scale-out default), embedded (a SQLite file under DATA_DIR shared by the processes of one machine; the embedded default), kafka (kafkajs) or memory (tests only). PROFILE=embedded refuses redis",
  ),
  BUS_RETRY_ATTEMPTS_MAX: intVar(
    3,
    1,
    20,
    "Attempts of a handler failing permanently (not a dependency outage) before the message goes to payment.dlq",
  ),
  BUS_RETRY_BACKOFF_BASE_MS: intVar(
    100,
    1,
    60000,
    "First retry delay of a failing handler (exponential, full jitter)",
  ),
  BUS_RETRY_BACKOFF_CAP_MS: intVar(2000, 1, 300000, "Largest retry delay of a failing handler"),
  BUS_TRANSIENT_BACKOFF_CAP_MS: intVar(
    5000,
    1,
    300000,
    "Largest pause between probes of a consumer whose handlers fail transiently (a dependency down); bounds how late it resumes after recovery",
  ),
  BUS_DELIVERIES_MAX: intVar(
    10,
    1,
    1000,
    "Deliveries that ended without an outcome (consumer crashes) after which a message goes to payment.dlq unhandled; hand-backs during an outage do not count",
  ),
  BUS_CONSUMER_CONCURRENCY: intVar(
    16,
    1,
    512,
    "Default handler calls running at once per consumer (per-key order is kept)",
  ),
  BUS_CLAIM_IDLE: durationVar(
    "30s",
    "Redis/embedded/memory: how long a delivered, unacknowledged message waits before another consumer reclaims it",
  ),
  BUS_STREAM_MAXLEN: intVar(
    200000,
    1000,
    1000000000,
    "Redis: approximate entries kept per topic stream (XADD MAXLEN ~); embedded: entries kept per topic at most, acknowledged or not; retention bound",
  ),
  BUS_EMBEDDED_PATH: z.string().optional().describe(
    "Embedded bus: the SQLite file every process of this machine shares (DATA_DIR/bus.sqlite3 when unset; created with its folder; the processes need read and write access to the folder)",
  ),
  KAFKA_BROKERS: stringVar("", "Kafka: comma-separated host:port list; required when BUS=kafka"),
  KAFKA_CLIENT_ID: stringVar("pay-platform", "Kafka: client id in broker logs and quotas"),
  KAFKA_NUM_PARTITIONS: intVar(
    6,
    1,
    10000,
    "Kafka: partitions of each topic the bus creates (at first use)",
  ),
  KAFKA_REPLICATION_FACTOR: intVar(1, 1, 16, "Kafka: replication factor of each topic created"),
  KAFKA_TOPIC_PREFIX: stringVar(
    "",
    "Kafka: prefix of every topic and consumer group name (keeps test runs apart on a shared cluster)",
  ),
  KAFKA_SESSION_TIMEOUT_MS: intVar(
    10000,
    6000,
    300000,
    "Kafka: how long a silent group member keeps its partitions before they move to another",
  ),
  KAFKA_HEARTBEAT_INTERVAL_MS: intVar(
    1000,
    100,
    60000,
    "Kafka: heartbeat interval of a group member; well below KAFKA_SESSION_TIMEOUT_MS",
  ),
  KAFKA_REBALANCE_TIMEOUT_MS: intVar(
    30000,
    1000,
    300000,
    "Kafka: how long the group waits for members to rejoin during a rebalance",
  ),
};

export interface KafkaBusConfig {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly numPartitions: number;
  readonly replicationFactor: number;
  /** Prepended to every topic and group name on the cluster; the application sees names without it. */
  readonly topicPrefix: string;
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly rebalanceTimeoutMs: number;
}

export interface BusConfig {
  readonly kind: BusKind;
  readonly retryAttemptsMax: number;
  readonly retryBackoffBaseMs: number;
  readonly retryBackoffCapMs: number;
  readonly transientBackoffCapMs: number;
  readonly deliveriesMax: number;
  readonly concurrency: number;
  readonly claimIdleMs: number;
  readonly streamMaxLen: number;
  /** BUS=embedded: the SQLite file of the log. */
  readonly embeddedPath: string;
  readonly kafka: KafkaBusConfig;
}

export function readBusConfig(env: Env): BusConfig {
  const v = parseEnv(busVars, env);
  const { profile, dataDir } = readProfileConfig(env);
  const kind = v.BUS ?? busKindDefaults[profile];
  if (profile === "embedded" && kind === "redis") {
    // Explicit or not, never: the embedded profile's promise is no Redis connection at all.
    throw new ConfigError([
      'BUS: redis needs PROFILE=scale-out; the embedded profile opens no Redis connection (unset BUS for the embedded bus) (got "redis")',
    ]);
  }
  const embeddedPath = v.BUS_EMBEDDED_PATH ?? join(dataDir, embeddedBusFileName);
  const brokers = v.KAFKA_BROKERS.split(",").map((b) => b.trim()).filter(Boolean);
  if (kind === "kafka" && brokers.length === 0) {
    throw new ConfigError(['KAFKA_BROKERS: required when BUS=kafka (got "")']);
  }
  if (v.BUS_RETRY_BACKOFF_CAP_MS < v.BUS_RETRY_BACKOFF_BASE_MS) {
    throw new ConfigError([
      `BUS_RETRY_BACKOFF_CAP_MS: must be at least BUS_RETRY_BACKOFF_BASE_MS (got ${v.BUS_RETRY_BACKOFF_CAP_MS})`,
    ]);
  }
  if (v.BUS_TRANSIENT_BACKOFF_CAP_MS < v.BUS_RETRY_BACKOFF_BASE_MS) {
    throw new ConfigError([
      `BUS_TRANSIENT_BACKOFF_CAP_MS: must be at least BUS_RETRY_BACKOFF_BASE_MS (got ${v.BUS_TRANSIENT_BACKOFF_CAP_MS})`,
    ]);
  }
  if (embeddedPath.trim() === "") {
    throw new ConfigError([
      `BUS_EMBEDDED_PATH: must name a file (got ${JSON.stringify(embeddedPath)})`,
    ]);
  }
  if (!/^[A-Za-z0-9._-]*$/.test(v.KAFKA_TOPIC_PREFIX)) {
    throw new ConfigError([
      `KAFKA_TOPIC_PREFIX: only letters, digits, '.', '_' and '-' are allowed in Kafka names (got ${
        JSON.stringify(v.KAFKA_TOPIC_PREFIX)
      })`,
    ]);
  }
  // Kafka brokers refuse a member whose heartbeats are not well inside its session.
  if (v.KAFKA_HEARTBEAT_INTERVAL_MS * 3 > v.KAFKA_SESSION_TIMEOUT_MS) {
    throw new ConfigError([
      `KAFKA_HEARTBEAT_INTERVAL_MS: must be at most a third of KAFKA_SESSION_TIMEOUT_MS (got ${v.KAFKA_HEARTBEAT_INTERVAL_MS})`,
    ]);
  }
  return Object.freeze({
    kind,
    retryAttemptsMax: v.BUS_RETRY_ATTEMPTS_MAX,
    retryBackoffBaseMs: v.BUS_RETRY_BACKOFF_BASE_MS,
    retryBackoffCapMs: v.BUS_RETRY_BACKOFF_CAP_MS,
    transientBackoffCapMs: v.BUS_TRANSIENT_BACKOFF_CAP_MS,
    deliveriesMax: v.BUS_DELIVERIES_MAX,
    concurrency: v.BUS_CONSUMER_CONCURRENCY,
    claimIdleMs: v.BUS_CLAIM_IDLE,
    streamMaxLen: v.BUS_STREAM_MAXLEN,
    embeddedPath,
    kafka: Object.freeze({
      brokers: Object.freeze(brokers),
      clientId: v.KAFKA_CLIENT_ID,
      numPartitions: v.KAFKA_NUM_PARTITIONS,
      replicationFactor: v.KAFKA_REPLICATION_FACTOR,
      topicPrefix: v.KAFKA_TOPIC_PREFIX,
      sessionTimeoutMs: v.KAFKA_SESSION_TIMEOUT_MS,
      heartbeatIntervalMs: v.KAFKA_HEARTBEAT_INTERVAL_MS,
      rebalanceTimeoutMs: v.KAFKA_REBALANCE_TIMEOUT_MS,
    }),
  });
}
