/** Scheduler lease and named lock contracts, on both adapters (harness: repository_contract.ts). */
import assert from "node:assert/strict";
import { sql } from "./batch.ts";
import { releaseSchedulerLease, tryAcquireSchedulerLease } from "./lease_repo.ts";
import { withNamedLock } from "./named_lock.ts";
import { both, contract } from "./repository_contract.ts";

const minuteMs = 60_000;

contract(
  "leases: the holder renews; others wait until it runs out or is released",
  both,
  async (db) => {
    const lease = { name: "sweep", durationMs: minuteMs };
    assert.equal(await tryAcquireSchedulerLease(db, { ...lease, owner: "a" }), true);
    const [first] = await db.query(sql("SELECT expires_at, acquired_at FROM scheduler_lease"));
    assert.equal(await tryAcquireSchedulerLease(db, { ...lease, owner: "b" }), false);
    assert.equal(await tryAcquireSchedulerLease(db, { ...lease, owner: "a" }), true);
    const [renewed] = await db.query(
      sql("SELECT owner, expires_at, acquired_at FROM scheduler_lease"),
    );
    assert.equal(renewed?.owner, "a");
    assert.ok(renewed?.expires_at.getTime() >= first?.expires_at.getTime());
    assert.equal(renewed?.acquired_at.getTime(), first?.acquired_at.getTime());

    await releaseSchedulerLease(db, { name: "sweep", owner: "b" }); // not b's: no effect
    assert.equal(await tryAcquireSchedulerLease(db, { ...lease, owner: "b" }), false);
    await releaseSchedulerLease(db, { name: "sweep", owner: "a" });
    assert.equal(await tryAcquireSchedulerLease(db, { ...lease, owner: "b" }), true);
    assert.equal(await tryAcquireSchedulerLease(db, { ...lease, owner: "a" }), false);
    assert.equal(
      await tryAcquireSchedulerLease(db, { name: "other", owner: "a", durationMs: minuteMs }),
      true,
    );
  },
);

contract("leases: a lease that ran out goes to the next asker", both, async (db) => {
  assert.equal(
    await tryAcquireSchedulerLease(db, { name: "sweep", owner: "a", durationMs: 0 }),
    true,
  );
  assert.equal(
    await tryAcquireSchedulerLease(db, { name: "sweep", owner: "b", durationMs: minuteMs }),
    true,
  );
  assert.equal(
    await tryAcquireSchedulerLease(db, { name: "sweep", owner: "a", durationMs: minuteMs }),
    false,
  );
  const rows = await db.query(sql("SELECT owner, expires_at, acquired_at FROM scheduler_lease"));
  assert.equal(rows.length, 1);
  assert.equal(rows[0]?.owner, "b");
  assert.ok(rows[0]?.expires_at.getTime() > rows[0]?.acquired_at.getTime());
});

contract("leases: of racing askers exactly one holds the lease", both, async (db) => {
  const owners = Array.from({ length: 8 }, (_, i) => `w${i}`);
  const held = await Promise.all(
    owners.map((owner) =>
      tryAcquireSchedulerLease(db, { name: "race", owner, durationMs: minuteMs })
    ),
  );
  assert.equal(held.filter(Boolean).length, 1);
  const [row] = await db.query(sql("SELECT owner FROM scheduler_lease WHERE name = 'race'"));
  assert.equal(row?.owner, owners[held.indexOf(true)]);
});

contract(
  "named lock: one holder at a time; freed after work, even when it throws",
  both,
  async (db) => {
    let inner: boolean | undefined;
    const ran = await withNamedLock(db, "recon", async () => {
      inner = await withNamedLock(db, "recon", () => Promise.reject(new Error("must not run")));
      assert.equal(await withNamedLock(db, "other", () => Promise.resolve()), true);
    });
    assert.equal(ran, true);
    assert.equal(inner, false);
    await assert.rejects(
      withNamedLock(db, "recon", () => Promise.reject(new Error("boom"))),
      /boom/,
    );
    let runs = 0;
    assert.equal(await withNamedLock(db, "recon", () => Promise.resolve(void runs++)), true);
    assert.equal(runs, 1);
  },
);
