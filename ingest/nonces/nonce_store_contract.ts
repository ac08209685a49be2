/**
 * One set of cases run against every nonce store: the SQLite file's in
 * nonce_store_contract_test.ts, Redis's in nonce_store_redis_test.ts. "Two
 * instances" are two handles on the same backing store (two Redis clients;
 * two opens of the one file), as two ingest processes have.
 */
import assert from "node:assert/strict";
import type { NonceStore } from "./port.ts";

const windowMs = 30_000;
/** Short enough to watch a nonce expire, long enough that the replay right after still sees it. */
const shortTtlMs = 200;
/** Expiry takes the TTL; this much longer means the nonce never expires. */
const expiryWaitMs = 5_000;

/** Two handles on one backing store of an adapter, and how to let go of it. */
export interface NonceStoreAdapter {
  readonly name: string;
  open(test: string): Promise<{ first: NonceStore; second: NonceStore; close(): Promise<void> }>;
}

async function claimedAgainWithin(store: NonceStore, nonce: string, waitMs: number) {
  const deadlineMs = Date.now() + waitMs;
  while (Date.now() < deadlineMs) {
    if (await store.claim(nonce, shortTtlMs)) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

/** Registers the contract's tests for `adapter`. */
export function nonceStoreContract(adapter: NonceStoreAdapter): void {
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
