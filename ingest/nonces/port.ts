/**
 * Nonces of the gateway's signed requests that were already accepted, kept
 * for the signature's validity window so that a captured request cannot be
 * replayed (DESIGN §8). Adapters: `redis.ts` (scale-out: every ingest
 * instance sees every nonce) and `sqlite.ts` (embedded: one file under
 * DATA_DIR that the instances on this machine share).
 */
export interface NonceStore {
  /** True when the nonce was unused (and is now recorded for `ttlMs`); false on a replay. */
  claim(nonce: string, ttlMs: number): Promise<boolean>;
}
