import type { DatabaseSync } from "node:sqlite";
import { openDataFile } from "@pay/lib/embedded";
import type { NonceStore } from "./port.ts";

/** The file under DATA_DIR that every ingest instance of an embedded platform shares. */
export const nonceFileName = "nonces.sqlite";

/**
 * How often expired nonces are deleted. The table then holds about this
 * interval plus the validity window of requests: some thousand rows a second
 * at load, a few megabytes.
 */
export const nonceSweepIntervalMs = 10_000;

/**
 * Nonces in a SQLite file (WAL, synchronous=NORMAL: a commit survives a
 * process crash; after a power cut the nonces of the last moments may be
 * gone, while their requests are still within the window). Claims are one
 * INSERT: a row that expired is taken over, like Redis's SET NX PX.
 */
export function sqliteNonceStore(
  dataDir: string,
  nowMs: () => number = Date.now,
): NonceStore & { close(): void } {
  const db = openDataFile(dataDir, nonceFileName, "NORMAL");
  migrate(db);
  const insert = db.prepare(
    `INSERT INTO nonce (nonce, expires_at_ms) VALUES (?, ?)
     ON CONFLICT (nonce) DO UPDATE SET expires_at_ms = excluded.expires_at_ms
     WHERE nonce.expires_at_ms <= ?`,
  );
  const sweep = db.prepare("DELETE FROM nonce WHERE expires_at_ms <= ?");
  let lastSweepMs = -Infinity;

  return {
    claim(nonce, ttlMs) {
      // Synchronous, and microseconds: node:sqlite has no asynchronous API.
      try {
        const now = nowMs();
        if (now - lastSweepMs >= nonceSweepIntervalMs) {
          lastSweepMs = now;
          sweep.run(now);
        }
        return Promise.resolve(insert.run(nonce, now + ttlMs, now).changes === 1);
      } catch (error) {
        return Promise.reject(error);
      }
    },
    close() {
      db.close();
    },
  };
}

function migrate(db: DatabaseSync): void {
  db.exec(`CREATE TABLE IF NOT EXISTS nonce (
    nonce TEXT PRIMARY KEY,
    expires_at_ms INTEGER NOT NULL
  ) WITHOUT ROWID`);
  db.exec("CREATE INDEX IF NOT EXISTS nonce_expiry ON nonce (expires_at_ms)");
}
