import type { DatabaseSync } from "node:sqlite";
import { inWriteTransaction, openDataFile } from "@pay/lib/embedded";
import {
  emptySession,
  type Order,
  orderRetentionMs,
  orderUpdateAttemptsMax,
  orderUpdateLost,
  type SessionData,
  type StoreState,
} from "./port.ts";

/** The store's file under DATA_DIR. */
export const storeStateFileName = "store.sqlite";

/**
 * How often expired sessions and orders are deleted (reads already ignore
 * them). An hour: the file grows by at most an hour of abandoned carts.
 */
export const expiredSweepIntervalMs = 3_600_000;

/**
 * Sessions and orders in a SQLite file under `dataDir` (WAL,
 * synchronous=FULL): a cart survives a restart of the store, and a power cut.
 * For one store process (the embedded profile); several store processes share
 * carts through Redis. A session update is one write transaction, so it is
 * atomic without the compare-and-set Redis needs.
 */
export function createSqliteState(
  dataDir: string,
  sessionTtlMs: number,
  now: () => number = Date.now,
): StoreState {
  const db = openDataFile(dataDir, storeStateFileName, "FULL");
  migrate(db);
  const readSession = db.prepare("SELECT json FROM session WHERE id = ? AND expires_at_ms > ?");
  const writeSession = db.prepare(
    `INSERT INTO session (id, json, expires_at_ms) VALUES (?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET json = excluded.json, expires_at_ms = excluded.expires_at_ms`,
  );
  const readOrder = db.prepare("SELECT json FROM store_order WHERE id = ? AND expires_at_ms > ?");
  const writeOrder = db.prepare(
    `INSERT INTO store_order (id, json, expires_at_ms) VALUES (?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET json = excluded.json, expires_at_ms = excluded.expires_at_ms`,
  );
  const compareAndSetOrder = db.prepare(
    "UPDATE store_order SET json = ?, expires_at_ms = ? WHERE id = ? AND json = ?",
  );
  const readValue = db.prepare("SELECT value FROM store_value WHERE key = ? AND expires_at_ms > ?");
  const writeValue = db.prepare(
    `INSERT INTO store_value (key, value, expires_at_ms) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at_ms = excluded.expires_at_ms`,
  );
  const sweepValues = db.prepare("DELETE FROM store_value WHERE expires_at_ms <= ?");
  const sweepSessions = db.prepare("DELETE FROM session WHERE expires_at_ms <= ?");
  const sweepOrders = db.prepare("DELETE FROM store_order WHERE expires_at_ms <= ?");
  let lastSweepMs = -Infinity;

  function session(sessionId: string): SessionData {
    const row = readSession.get(sessionId, now());
    return row ? JSON.parse(String(row.json)) as SessionData : emptySession;
  }

  /** Optimistic like the other adapters, so a nested update inside `change` is retried too. */
  function updateOrder(orderId: string, change: (order: Order) => Order | undefined) {
    for (let attempt = 1; attempt <= orderUpdateAttemptsMax; attempt++) {
      const row = readOrder.get(orderId, now());
      if (!row) return undefined;
      const current = String(row.json);
      const next = change(JSON.parse(current) as Order);
      if (next === undefined) return JSON.parse(current) as Order;
      const json = JSON.stringify(next);
      const written = compareAndSetOrder.run(json, now() + orderRetentionMs, orderId, current);
      if (written.changes === 1) return JSON.parse(json) as Order;
    }
    throw orderUpdateLost(orderId);
  }

  function sweepNowAndThen(): void {
    const nowMs = now();
    if (nowMs - lastSweepMs < expiredSweepIntervalMs) return;
    lastSweepMs = nowMs;
    sweepSessions.run(nowMs);
    sweepOrders.run(nowMs);
    sweepValues.run(nowMs);
  }

  return {
    readSession: (sessionId) => settle(() => session(sessionId)),
    updateSession: (sessionId, change) =>
      settle(() =>
        inWriteTransaction(db, () => {
          const { data, result } = change(session(sessionId));
          writeSession.run(sessionId, JSON.stringify(data), now() + sessionTtlMs);
          sweepNowAndThen();
          return result;
        })
      ),
    saveOrder: (order) =>
      settle(() => {
        writeOrder.run(order.orderId, JSON.stringify(order), now() + orderRetentionMs);
      }),
    findOrder: (orderId) =>
      settle(() => {
        const row = readOrder.get(orderId, now());
        return row ? JSON.parse(String(row.json)) as Order : undefined;
      }),
    updateOrder: (orderId, change) => settle(() => updateOrder(orderId, change)),
    readValue: (key) =>
      settle(() => {
        const row = readValue.get(key, now());
        return row ? String(row.value) : undefined;
      }),
    writeValue: (key, value, ttlMs) =>
      settle(() => {
        writeValue.run(key, value, now() + ttlMs);
      }),
    ping: () => settle(() => void db.prepare("SELECT 1").get()),
    close: () => settle(() => db.close()),
  };
}

/** node:sqlite is synchronous: its throws become rejections, as the port's callers expect. */
function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error);
  }
}

function migrate(db: DatabaseSync): void {
  db.exec(`CREATE TABLE IF NOT EXISTS session (
    id TEXT PRIMARY KEY,
    json TEXT NOT NULL,
    expires_at_ms INTEGER NOT NULL
  )`);
  db.exec(`CREATE TABLE IF NOT EXISTS store_order (
    id TEXT PRIMARY KEY,
    json TEXT NOT NULL,
    expires_at_ms INTEGER NOT NULL
  )`);
  db.exec(`CREATE TABLE IF NOT EXISTS store_value (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    expires_at_ms INTEGER NOT NULL
  )`);
}
