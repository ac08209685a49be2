/**
 * One set of cases run against both nonce stores. "Two instances" are two
 * handles on the same backing store (two Redis clients; two opens of the one
 * file), as two ingest processes have.
 */
import assert from "node:assert/strict";
import { freshTestRedis } from "@pay/lib/testing";
import type { NonceStore } from "./port.ts";
import { redisNonceStore } from "./redis.ts";
import { sqliteNonceStore } from "./sqlite.ts";

const windowMs = 30_000;
/** Short enough to watch a nonce expire, long enough that the replay right after still sees it. */
const shortTtlMs = 200;
/** Expiry takes the TTL; this much longer means the nonce never expires. */
const expiryWaitMs = 5_000;

interface Adapter {
  readonly name: string;
  open(test: string): Promise<{ first: NonceStore; second: NonceStore; close(): Promise<void> }>;
}

const adapters: Adapter[] = [
  {
    name: "sqlite",
    async open() {
      const dataDir = await Deno.makeTempDir({ prefix: "nonces_" });
      const first = sqliteNonceStore(dataDir);
      const second = sqliteNonceStore(dataDir);
      return {
        first,
        second,
        async close() {
          first.close();
          second.close();
          await Deno.remove(dataDir, { recursive: true });
        },
      };
    },
  },
  {
    name: "redis",
    async open(test) {
      const redis = await freshTestRedis(`ingest_nonce_${test}`);
      const other = await freshTestRedis(`ingest_nonce_${test}`);
      return {
        first: redisNonceStore(redis.redis),
        second: redisNonceStore(other.redis),
        async close() {
          await other.close();
          await redis.close();
        },
      };
    },
  },
];

async function claimedAgainWithin(store: NonceStore, nonce: string, waitMs: number) {
  const deadlineMs = Date.now() + waitMs;
  while (Date.now() < deadlineMs) {
    if (await store.claim(nonce, shortTtlMs)) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

for (const adapter of adapters) {
  Deno.test(`${adapter.name} nonce store: a nonce is accepted once, its replay refused`, async () => {
    const { first, close } = await adapter.open("once");
    try {
      const nonce = crypto.randomUUID();
      assert.equal(await first.claim(nonce, windowMs), true);
      assert.equal(await first.claim(nonce, windowMs), false);
      assert.equal(await first.claim(crypto.randomUUID(), windowMs), true);
    } finally {
      await close();
    }
  });

  Deno.test(`${adapter.name} nonce store: a replay to the other instance is refused too`, async () => {
    const { first, second, close } = await adapter.open("shared");
    try {
      const nonce = crypto.randomUUID();
      assert.equal(await first.claim(nonce, windowMs), true);
      assert.equal(await second.claim(nonce, windowMs), false);
      const other = crypto.randomUUID();
      assert.equal(await second.claim(other, windowMs), true);
      assert.equal(await first.claim(other, windowMs), false);
    } finally {
      await close();
    }
  });

  Deno.test(`${adapter.name} nonce store: a nonce is forgotten after its time to live`, async () => {
    const { first, close } = await adapter.open("expiry");
    try {
      const nonce = crypto.randomUUID();
      assert.equal(await first.claim(nonce, shortTtlMs), true);
      assert.equal(await first.claim(nonce, shortTtlMs), false);
      assert.equal(await claimedAgainWithin(first, nonce, expiryWaitMs), true);
    } finally {
      await close();
    }
  });
}
