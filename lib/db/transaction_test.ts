import assert from "node:assert/strict";
import { freshTestDatabase } from "../testing/db.ts";
import { rowsOf, sql } from "./batch.ts";
import { inTransaction, runTransactionBatch } from "./transaction.ts";

const insertEpoch = (bus: string) =>
  sql("INSERT INTO bus_epoch (bus, epoch, recorded_at) VALUES (?, 'e1', NOW(3))", bus);

Deno.test("one transaction helper: commit, rollback, isolation and the one-round-trip batch", async (t) => {
  const db = await freshTestDatabase("transaction");
  const buses = async () => {
    const [rows] = await db.pool.driver.query("SELECT bus FROM bus_epoch ORDER BY bus");
    return rowsOf<{ bus: string }>(rows as never).map((row) => row.bus);
  };
  try {
    await t.step("work that returns commits what it left open", async () => {
      const answer = await inTransaction(db.pool, async (tx) => {
        await tx.run([insertEpoch("a")]);
        return 42;
      });
      assert.equal(answer, 42);
      assert.deepEqual(await buses(), ["a"]);
    });

    await t.step("work that throws rolls back and the error reaches the caller", async () => {
      await assert.rejects(
        inTransaction(db.pool, async (tx) => {
          await tx.run([insertEpoch("b")]);
          throw new Error("Refused: b");
        }),
        /Refused: b/,
      );
      assert.deepEqual(await buses(), ["a"]);
    });

    await t.step(
      "an explicit rollback keeps nothing and the work's value is returned",
      async () => {
        const answer = await inTransaction(db.pool, async (tx) => {
          await tx.run([insertEpoch("c")]);
          await tx.rollback();
          return "lost";
        });
        assert.equal(answer, "lost");
        assert.deepEqual(await buses(), ["a"]);
      },
    );

    await t.step("commit returns one result per statement and ends the transaction", async () => {
      await inTransaction(db.pool, async (tx) => {
        const [selected] = await tx.run([sql("SELECT COUNT(*) AS n FROM bus_epoch")]);
        assert.equal(Number(rowsOf<{ n: number }>(selected)[0]!.n), 1);
        const results = await tx.commit([insertEpoch("d")]);
        assert.equal(results.length, 1);
        await assert.rejects(tx.run([insertEpoch("e")]), /Transaction already ended/);
      });
      assert.deepEqual(await buses(), ["a", "d"]);
    });

    await t.step("the isolation option applies to the transaction", async () => {
      const level = await inTransaction(db.pool, async (tx) => {
        // The transaction exists in InnoDB once it has read a table.
        const [, rows] = await tx.run([
          sql("SELECT COUNT(*) FROM bus_epoch FOR UPDATE"),
          sql(
            `SELECT trx_isolation_level AS level FROM information_schema.innodb_trx
             WHERE trx_mysql_thread_id = CONNECTION_ID()`,
          ),
        ]);
        return rowsOf<{ level: string }>(rows)[0]!.level;
      }, { isolation: "READ COMMITTED" });
      assert.equal(level, "READ COMMITTED");
    });

    await t.step(
      "a failing statement of a one-round-trip batch rolls the earlier ones back",
      async () => {
        await assert.rejects(
          runTransactionBatch(db.pool, [insertEpoch("f"), insertEpoch("a")]),
          (error: { code?: string }) => error.code === "ER_DUP_ENTRY",
        );
        assert.deepEqual(await buses(), ["a", "d"]);
        // The connection went back to the pool without a transaction left open.
        await runTransactionBatch(db.pool, [insertEpoch("g")]);
        assert.deepEqual(await buses(), ["a", "d", "g"]);
      },
    );
  } finally {
    await db.close();
  }
});
