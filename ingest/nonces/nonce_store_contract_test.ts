/** The nonce store contract on the embedded profile's SQLite file (Redis's: nonce_store_redis_test.ts). */
import { nonceStoreContract } from "./nonce_store_contract.ts";
import { sqliteNonceStore } from "./sqlite.ts";

nonceStoreContract({
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
});
