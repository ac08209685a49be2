import assert from "node:assert/strict";
import { fixtureRows } from "../testing/db.ts";
import { rowsOf, sql } from "./batch.ts";
import { isDuplicateKey } from "./db_errors.ts";
import type { Db } from "./port.ts";
import { both, contract } from "./repository_contract.ts";
import { inTransaction, runTransactionBatch } from "./transaction.ts";

const insertEpoch = (bus: string) =>
  sql("INSERT INTO bus_epoch (bus, epoch, recorded_at) VALUES (?, 'e1', NOW(3))", bus);

const buses = async (db: Db) =>
  (await fixtureRows(db, "SELECT bus FROM bus_epoch ORDER BY bus")).map((row) => row.bus);

contract(
  "one transaction helper: commit, rollback and the one-round-trip batch",
  both,
  async (db, t) => {
    await t.step("work that returns commits what it left open", async () => {
      const answer = await inTransaction(db, async (tx) => {
        await tx.run([insertEpoch("a")]);
        return 42;
      });
      assert.equal(answer, 42);
      assert.deepEqual(await buses(db), ["a"]);
    });

    await t.step("work that throws rolls back and the error reaches the caller", async () => {
      await assert.rejects(
        inTransaction(db, async (tx) => {
          await tx.run([insertEpoch("b")]);
          throw new Error("Refused: b");
        }),
        /Refused: b/,
      );
      assert.deepEqual(await buses(db), ["a"]);
    });

    await t.step(
      "an explicit rollback keeps nothing and the work's value is returned",
      async () => {
        const answer = await inTransaction(db, async (tx) => {
          await tx.run([insertEpoch("c")]);
          await tx.rollback();
          return "lost";
        });
        assert.equal(answer, "lost");
        assert.deepEqual(await buses(db), ["a"]);
      },
    );

    await t.step("commit returns one result per statement and ends the transaction", async () => {
      await inTransaction(db, async (tx) => {
        const [selected] = await tx.run([sql("SELECT COUNT(*) AS n FROM bus_epoch")]);
        assert.equal(Number(rowsOf<{ n: number }>(selected)[0]!.n), 1);
        const results = await tx.commit([insertEpoch("d")]);
        assert.equal(results.length, 1);
        await assert.rejects(tx.run([insertEpoch("e")]), /Transaction already ended/);
      });
      assert.deepEqual(await buses(db), ["a", "d"]);
    });

    await t.step(
      "a failing statement of a one-round-trip batch rolls the earlier ones back",
      async () => {
        await assert.rejects(
          runTransactionBatch(db, [insertEpoch("f"), insertEpoch("a")]),
          isDuplicateKey,
        );
        assert.deepEqual(await buses(db), ["a", "d"]);
        // No transaction was left open (MariaDB: on the pooled connection; SQLite: on the file's).
        await runTransactionBatch(db, [insertEpoch("g")]);
        assert.deepEqual(await buses(db), ["a", "d", "g"]);
      },
    );
  },
);

// SQLite has one isolation level (serializable): the option is MariaDB's.
contract("the isolation option applies to the transaction", ["mariadb"], async (db) => {
  const level = await inTransaction(db, async (tx) => {
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
