import type {
  SimAuthorization,
  SimDb,
  SimIdempotencyRecord,
  SimOperation,
  SimOperationFilter,
} from "./records.ts";

/**
 * A SimDb in three Maps. A Map iterates in insertion order and updating an
 * entry keeps its place, so the first key is always the oldest record: evicting
 * it keeps each Map at `recordsMax` in O(1).
 */
export function createMemorySimDb(recordsMax: number): SimDb {
  if (!Number.isSafeInteger(recordsMax) || recordsMax < 1) {
    throw new RangeError(`recordsMax must be a positive integer: ${recordsMax}`);
  }
  const authorizations = new Map<string, SimAuthorization>();
  const operations = new Map<string, SimOperation>();
  const idempotency = new Map<string, SimIdempotencyRecord>();

  return {
    findAuthorization: (id) => authorizations.get(id),
    findIdempotencyRecord: (key) => idempotency.get(key),
    write(change) {
      putCapped(idempotency, change.idempotency.key, change.idempotency, recordsMax);
      if (change.authorization !== undefined) {
        putCapped(authorizations, change.authorization.id, change.authorization, recordsMax);
      }
      if (change.operation !== undefined) {
        putCapped(operations, change.operation.pgId, change.operation, recordsMax);
      }
    },
    listOperations: (filter) => matching(operations.values(), filter),
    clear() {
      authorizations.clear();
      operations.clear();
      idempotency.clear();
    },
    check() {},
    close() {},
  };
}

function putCapped<V>(map: Map<string, V>, key: string, value: V, recordsMax: number): void {
  map.set(key, value);
  if (map.size > recordsMax) map.delete(map.keys().next().value!);
}

function matching(all: Iterable<SimOperation>, filter: SimOperationFilter): SimOperation[] {
  const found: SimOperation[] = [];
  for (const operation of all) {
    if (found.length >= filter.limit) break;
    if (filter.reference !== undefined && operation.reference !== filter.reference) continue;
    if (filter.types !== undefined && !filter.types.includes(operation.type)) continue;
    if (filter.fromMs !== undefined && operation.atMs < filter.fromMs) continue;
    if (filter.toMs !== undefined && operation.atMs >= filter.toMs) continue;
    found.push(operation);
  }
  return found;
}
