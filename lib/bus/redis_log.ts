import type { Redis } from "../redis/mod.ts";
import type { BusMessage } from "./port.ts";
import type { StreamEntry, StreamLog, StreamReader } from "./stream_log.ts";

/** Key of a topic's stream, under the client's key prefix. */
export function streamKeyOf(topic: string): string {
  return `stream:${topic}`;
}

/** Key of the bus epoch marker (StreamLog.ensureEpoch), next to the streams. */
export const busEpochKey = "bus:epoch";

/**
 * How long a new connection may take to become ready. Redis answers locally
 * in milliseconds; past this it is down and start-up should say so.
 */
export const redisReadyTimeoutMs = 5_000;

export interface RedisStreamLogOptions {
  /** Shared connection for every non-blocking command. */
  readonly commands: Redis;
  /** Opens a dedicated connection (no command timeout) for one reader's blocking reads. */
  readonly openBlocking: () => Redis;
  /** Approximate entries kept per stream (XADD MAXLEN ~). */
  readonly streamMaxLen: number;
}

type RawEntry = [id: string, fields: string[] | null];

/** StreamLog over Redis Streams: XADD, XREADGROUP, XAUTOCLAIM, XACK (Redis >= 7). */
export class RedisStreamLog implements StreamLog {
  readonly #commands: Redis;
  readonly #openBlocking: () => Redis;
  readonly #streamMaxLen: number;
  readonly #topicByFullKey = new Map<string, string>();

  constructor(options: RedisStreamLogOptions) {
    this.#commands = options.commands;
    this.#openBlocking = options.openBlocking;
    this.#streamMaxLen = options.streamMaxLen;
  }

  async append(messages: readonly BusMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const pipeline = this.#commands.pipeline();
    for (const m of messages) {
      pipeline.xadd(
        streamKeyOf(m.topic),
        "MAXLEN",
        "~",
        this.#streamMaxLen,
        "*",
        "k",
        m.key,
        "v",
        m.value,
        "h",
        JSON.stringify(m.headers),
      );
    }
    const results = await pipeline.exec();
    const failed = results?.find(([error]) => error);
    if (!results || failed) throw failed?.[0] ?? new Error("Redis pipeline returned nothing");
  }

  async ensureGroup(topic: string, group: string): Promise<void> {
    try {
      await this.#commands.xgroup("CREATE", streamKeyOf(topic), group, "0", "MKSTREAM");
    } catch (error) {
      if (!String(error).includes("BUSYGROUP")) throw error;
    }
  }

  async openReader(
    group: string,
    consumer: string,
    topics: readonly string[],
  ): Promise<StreamReader> {
    const prefix = this.#commands.options.keyPrefix ?? "";
    for (const topic of topics) this.#topicByFullKey.set(prefix + streamKeyOf(topic), topic);
    const connection = this.#openBlocking();
    try {
      await whenReady(connection);
    } catch (error) {
      connection.disconnect();
      throw error;
    }
    const reader = new RedisReader(
      connection,
      this.#commands,
      group,
      consumer,
      topics,
      this.#topicByFullKey,
    );
    await reader.refreshClientId();
    return reader;
  }

  async claimIdle(
    topic: string,
    group: string,
    consumer: string,
    minIdleMs: number,
    countMax: number,
  ): Promise<StreamEntry[]> {
    const key = streamKeyOf(topic);
    const claimed: RawEntry[] = [];
    let cursor = "0-0";
    do {
      const [next, entries] = await this.#commands.xautoclaim(
        key,
        group,
        consumer,
        minIdleMs,
        cursor,
        "COUNT",
        countMax - claimed.length,
      ) as [string, RawEntry[], string[]];
      claimed.push(...entries);
      cursor = next;
    } while (cursor !== "0-0" && claimed.length < countMax);
    if (claimed.length === 0) return [];
    const counts = await this.#deliveryCounts(key, group, claimed.map(([id]) => id));
    return claimed.map(([id, fields]) => entryOf(topic, id, fields, counts.get(id) ?? 1));
  }

  async #deliveryCounts(key: string, group: string, ids: string[]): Promise<Map<string, number>> {
    const pipeline = this.#commands.pipeline();
    for (const id of ids) pipeline.xpending(key, group, id, id, 1);
    const counts = new Map<string, number>();
    for (const [error, rows] of (await pipeline.exec()) ?? []) {
      if (error) continue;
      const row = (rows as Array<[string, string, number, number]>)[0];
      if (row) counts.set(row[0], Number(row[3]));
    }
    return counts;
  }

  async touch(topic: string, group: string, consumer: string, ids: readonly string[]) {
    if (ids.length === 0) return;
    await this.#commands.xclaim(streamKeyOf(topic), group, consumer, 0, ...ids, "JUSTID");
  }

  /** XCLAIM with IDLE and RETRYCOUNT (JUSTID: not counted as a delivery itself). */
  async release(
    topic: string,
    group: string,
    consumer: string,
    entry: { readonly id: string; readonly deliveryCount: number },
    idleMs: number,
  ): Promise<void> {
    await this.#commands.xclaim(
      streamKeyOf(topic),
      group,
      consumer,
      0,
      entry.id,
      "IDLE",
      idleMs,
      "RETRYCOUNT",
      Math.max(0, entry.deliveryCount - 1),
      "JUSTID",
    );
  }

  async ack(topic: string, group: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.#commands.xack(streamKeyOf(topic), group, ...ids);
  }

  async lag(topic: string, group: string): Promise<number> {
    const groups = await this.#commands.xinfo("GROUPS", streamKeyOf(topic)) as unknown[][];
    for (const flat of groups) {
      const info = pairsOf(flat);
      if (info.get("name") !== group) continue;
      const lag = info.get("lag");
      if (lag === null || lag === undefined) {
        throw new Error(`Redis cannot tell the lag of group ${group} on ${topic}`);
      }
      return Number(lag) + Number(info.get("pending") ?? 0);
    }
    throw new Error(`No consumer group ${group} on ${topic}`);
  }

  async pruneConsumers(topic: string, group: string, idleMs: number): Promise<void> {
    const key = streamKeyOf(topic);
    const consumers = await this.#commands.xinfo("CONSUMERS", key, group) as unknown[][];
    for (const flat of consumers) {
      const info = pairsOf(flat);
      if (Number(info.get("pending")) === 0 && Number(info.get("idle")) > idleMs) {
        await this.#commands.xgroup("DELCONSUMER", key, group, String(info.get("name")));
      }
    }
  }

  async ping(): Promise<void> {
    await this.#commands.ping();
  }

  async ensureEpoch(): Promise<string> {
    // SET NX then GET in one MULTI: of racing relays, all read the one that was set.
    const results = await this.#commands.multi()
      .set(busEpochKey, crypto.randomUUID(), "NX")
      .get(busEpochKey)
      .exec();
    const epoch = results?.[1]?.[1];
    if (typeof epoch !== "string") {
      throw results?.find(([error]) => error)?.[0] ?? new Error("Redis returned no bus epoch");
    }
    return epoch;
  }

  async close(): Promise<void> {
    await closeRedis(this.#commands);
  }
}

class RedisReader implements StreamReader {
  #clientId: number | null = null;

  constructor(
    private readonly connection: Redis,
    private readonly commands: Redis,
    private readonly group: string,
    private readonly consumer: string,
    private readonly topics: readonly string[],
    private readonly topicByFullKey: ReadonlyMap<string, string>,
  ) {
    // A reconnect gets a new client id, which `interrupt` needs.
    connection.on("ready", () => void this.refreshClientId().catch(() => {}));
  }

  async refreshClientId(): Promise<void> {
    this.#clientId = Number(await this.connection.client("ID"));
  }

  /** COUNT applies per stream: one read returns at most countMax entries of each topic. */
  async read(countMax: number, blockMs: number): Promise<StreamEntry[]> {
    const keys = this.topics.map(streamKeyOf);
    const reply = await this.connection.xreadgroup(
      "GROUP",
      this.group,
      this.consumer,
      "COUNT",
      countMax,
      "BLOCK",
      blockMs,
      "STREAMS",
      ...keys,
      ...keys.map(() => ">"),
    ) as Array<[string, RawEntry[]]> | null;
    const entries: StreamEntry[] = [];
    for (const [fullKey, raws] of reply ?? []) {
      const topic = this.topicByFullKey.get(fullKey);
      if (topic === undefined) throw new Error(`Reply from an unknown stream: ${fullKey}`);
      for (const [id, fields] of raws) entries.push(entryOf(topic, id, fields, 1));
    }
    return entries;
  }

  async interrupt(): Promise<void> {
    if (this.#clientId === null) return;
    await this.commands.client("UNBLOCK", this.#clientId).catch(() => {});
  }

  async close(): Promise<void> {
    await closeRedis(this.connection);
  }
}

function entryOf(
  topic: string,
  id: string,
  fields: string[] | null,
  deliveryCount: number,
): StreamEntry {
  if (fields === null) {
    return { topic, id, deliveryCount, message: null, raw: "" };
  }
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i]!, fields[i + 1]!);
  const raw = JSON.stringify(Object.fromEntries(map));
  const value = map.get("v");
  const headers = parseHeaders(map.get("h") ?? "{}");
  if (value === undefined || headers === null) {
    return { topic, id, deliveryCount, message: null, raw };
  }
  return {
    topic,
    id,
    deliveryCount,
    message: { topic, key: map.get("k") ?? "", value, headers },
    raw,
  };
}

/** Headers stored as JSON text; null when they are not an object of strings. */
export function parseHeaders(text: string): Record<string, string> | null {
  try {
    const parsed = JSON.parse(text);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return null;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(parsed)) {
      if (typeof value !== "string") return null;
      headers[name] = value;
    }
    return headers;
  } catch {
    return null;
  }
}

function pairsOf(flat: unknown[]): Map<string, unknown> {
  const map = new Map<string, unknown>();
  for (let i = 0; i + 1 < flat.length; i += 2) map.set(String(flat[i]), flat[i + 1]);
  return map;
}

/** Resolves when `redis` is connected; rejects after redisReadyTimeoutMs. */
export function whenReady(redis: Redis): Promise<void> {
  if (redis.status === "ready") return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off("ready", onReady);
      reject(new Error(`Redis was not ready after ${redisReadyTimeoutMs} ms`));
    }, redisReadyTimeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    redis.once("ready", onReady);
  });
}

/** QUIT, falling back to dropping the socket; resolves once the connection has ended. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === "end") return;
  const ended = new Promise<void>((resolve) => redis.once("end", () => resolve()));
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
  await ended;
}
