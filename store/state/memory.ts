import {
  emptySession,
  type Order,
  orderRetentionMs,
  orderUpdateAttemptsMax,
  orderUpdateLost,
  type SessionData,
  type StoreState,
} from "./port.ts";

interface Entry {
  readonly json: string;
  readonly expiresAtMs: number;
}

/**
 * One process's state in maps. Values are stored as JSON, like in Redis, so a
 * caller can never mutate stored data and anything unserializable fails here too.
 */
export function createMemoryState(sessionTtlMs: number, now = () => Date.now()): StoreState {
  const sessions = new Map<string, Entry>();
  const orders = new Map<string, Entry>();
  const values = new Map<string, Entry>();

  function read(map: Map<string, Entry>, key: string): string | undefined {
    const entry = map.get(key);
    if (!entry) return undefined;
    if (entry.expiresAtMs <= now()) {
      map.delete(key);
      return undefined;
    }
    return entry.json;
  }

  return {
    readSession(sessionId) {
      const json = read(sessions, sessionId);
      return Promise.resolve(json ? JSON.parse(json) as SessionData : emptySession);
    },
    updateSession(sessionId, change) {
      const json = read(sessions, sessionId);
      const current = json ? JSON.parse(json) as SessionData : emptySession;
      let changed;
      try {
        changed = change(current);
      } catch (error) {
        // A refusal inside the change is a rejection, as from the other adapters.
        return Promise.reject(error);
      }
      const { data, result } = changed;
      sessions.set(sessionId, { json: JSON.stringify(data), expiresAtMs: now() + sessionTtlMs });
      return Promise.resolve(result);
    },
    saveOrder(order) {
      orders.set(order.orderId, {
        json: JSON.stringify(order),
        expiresAtMs: now() + orderRetentionMs,
      });
      return Promise.resolve();
    },
    findOrder(orderId) {
      const json = read(orders, orderId);
      return Promise.resolve(json ? JSON.parse(json) as Order : undefined);
    },
    updateOrder(orderId, change) {
      for (let attempt = 1; attempt <= orderUpdateAttemptsMax; attempt++) {
        const current = read(orders, orderId);
        if (current === undefined) return Promise.resolve(undefined);
        let next: Order | undefined;
        try {
          next = change(JSON.parse(current) as Order);
        } catch (error) {
          return Promise.reject(error);
        }
        if (next === undefined) return Promise.resolve(JSON.parse(current) as Order);
        // `change` itself may have written the order (a nested update): then try again.
        if (read(orders, orderId) !== current) continue;
        const json = JSON.stringify(next);
        orders.set(orderId, { json, expiresAtMs: now() + orderRetentionMs });
        return Promise.resolve(JSON.parse(json) as Order);
      }
      return Promise.reject(orderUpdateLost(orderId));
    },
    readValue(key) {
      return Promise.resolve(read(values, key));
    },
    writeValue(key, value, ttlMs) {
      values.set(key, { json: value, expiresAtMs: now() + ttlMs });
      return Promise.resolve();
    },
    ping() {
      return Promise.resolve();
    },
    close() {
      sessions.clear();
      orders.clear();
      values.clear();
      return Promise.resolve();
    },
  };
}
