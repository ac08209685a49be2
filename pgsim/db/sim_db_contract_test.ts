/** One contract, both SimDb adapters: memory (lib/pg) and SQLite (pgsim). */
import assert from "node:assert/strict";
import {
  createMemorySimDb,
  type SimAuthorization,
  type SimChange,
  type SimDb,
  type SimOperation,
} from "@pay/lib/pg";
import { createSqliteSimDb } from "./sqlite_db.ts";

interface Adapter {
  readonly name: string;
  open(recordsMax: number): Promise<{ db: SimDb; dispose(): Promise<void> }>;
}

const adapters: Adapter[] = [
  {
    name: "memory",
    open: (recordsMax) =>
      Promise.resolve({ db: createMemorySimDb(recordsMax), dispose: () => Promise.resolve() }),
  },
  {
    name: "sqlite",
    async open(recordsMax) {
      const dir = await Deno.makeTempDir({ prefix: "pgsim_db_" });
      const db = createSqliteSimDb(`${dir}/pgsim.db`, recordsMax);
      return {
        db,
        dispose: async () => {
          db.close();
          await Deno.remove(dir, { recursive: true });
        },
      };
    },
  },
];

function change(n: number, type: SimOperation["type"] = "authorize", atMs = 1_000 + n): SimChange {
  const authorization: SimAuthorization = {
    id: `auth_${n}`,
    merchantId: "M123",
    amount: 100 * n,
    currency: "KRW",
    paymentMethod: "tok_visa",
    reference: `pay_${n}`,
    status: "APPROVED",
    capturedAmount: 0,
    refundedAmount: 0,
    createdAtMs: atMs,
  };
  const operation: SimOperation = {
    pgId: `${type}_${n}`,
    type,
    status: type === "authorize" ? "APPROVED" : "SUCCEEDED",
    idempotencyKey: `key_${n}`,
    authorizationId: authorization.id,
    reference: authorization.reference,
    amount: authorization.amount,
    currency: "KRW",
    atMs,
  };
  return {
    idempotency: { key: `key_${n}`, fingerprint: `fp_${n}`, status: 200, body: `{"n":${n}}`, atMs },
    authorization,
    operation,
  };
}

for (const adapter of adapters) {
  Deno.test(`${adapter.name} db: a write is read back whole`, async () => {
    const { db, dispose } = await adapter.open(100);
    try {
      const c = change(1);
      db.write(c);
      assert.deepEqual(db.findAuthorization("auth_1"), c.authorization);
      assert.deepEqual(db.findIdempotencyRecord("key_1"), c.idempotency);
      assert.deepEqual(db.listOperations({ limit: 10 }), [c.operation]);
      assert.equal(db.findAuthorization("auth_2"), undefined);
      assert.equal(db.findIdempotencyRecord("key_2"), undefined);
      db.check();
    } finally {
      await dispose();
    }
  });

  Deno.test(`${adapter.name} db: updating an authorization keeps one copy`, async () => {
    const { db, dispose } = await adapter.open(100);
    try {
      const c = change(1);
      db.write(c);
      const captured = { ...c.authorization!, status: "CAPTURED" as const, capturedAmount: 100 };
      db.write({ ...change(2, "capture"), authorization: captured });
      assert.deepEqual(db.findAuthorization("auth_1"), captured);
    } finally {
      await dispose();
    }
  });

  Deno.test(`${adapter.name} db: operations filter by reference, type and time`, async () => {
    const { db, dispose } = await adapter.open(100);
    try {
      for (let n = 1; n <= 6; n++) db.write(change(n, n % 2 === 0 ? "capture" : "refund", n * 10));
      const pgIds = (filter: Parameters<SimDb["listOperations"]>[0]) =>
        db.listOperations(filter).map((o) => o.pgId);
      assert.deepEqual(pgIds({ reference: "pay_3", limit: 10 }), ["refund_3"]);
      assert.deepEqual(pgIds({ types: ["capture"], limit: 10 }), [
        "capture_2",
        "capture_4",
        "capture_6",
      ]);
      assert.deepEqual(pgIds({ fromMs: 20, toMs: 40, limit: 10 }), ["capture_2", "refund_3"]);
      assert.deepEqual(pgIds({ types: ["capture", "refund"], limit: 2 }), [
        "refund_1",
        "capture_2",
      ]);
    } finally {
      await dispose();
    }
  });

  Deno.test(`${adapter.name} db: beyond recordsMax the oldest records are forgotten`, async () => {
    const { db, dispose } = await adapter.open(3);
    try {
      for (let n = 1; n <= 5; n++) db.write(change(n));
      assert.equal(db.findAuthorization("auth_2"), undefined);
      assert.equal(db.findIdempotencyRecord("key_2"), undefined);
      assert.ok(db.findAuthorization("auth_3"));
      assert.ok(db.findIdempotencyRecord("key_5"));
      assert.deepEqual(db.listOperations({ limit: 10 }).map((o) => o.pgId), [
        "authorize_3",
        "authorize_4",
        "authorize_5",
      ]);
    } finally {
      await dispose();
    }
  });

  Deno.test(`${adapter.name} db: clear forgets everything`, async () => {
    const { db, dispose } = await adapter.open(100);
    try {
      db.write(change(1));
      db.clear();
      assert.equal(db.findAuthorization("auth_1"), undefined);
      assert.equal(db.findIdempotencyRecord("key_1"), undefined);
      assert.deepEqual(db.listOperations({ limit: 10 }), []);
    } finally {
      await dispose();
    }
  });
}

Deno.test("sqlite db: a failed write leaves nothing behind", async () => {
  const { db, dispose } = await adapters[1]!.open(100);
  try {
    db.write(change(1));
    const duplicateOperation = { ...change(2), operation: change(1).operation };
    assert.throws(() => db.write(duplicateOperation));
    assert.equal(db.findIdempotencyRecord("key_2"), undefined);
    assert.equal(db.findAuthorization("auth_2"), undefined);
  } finally {
    await dispose();
  }
});
