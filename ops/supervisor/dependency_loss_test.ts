import assert from "node:assert/strict";
import mysql from "mysql2/promise";
import { hasBinary, privateMariaDb, privateRedis } from "@pay/lib/testing";
import { startTestPlatform, until } from "./testing.ts";

/** Readiness follows a dependency within a few probe intervals; this only bounds the wait. */
const readyChangeDeadlineMs = 60_000;

type Ready = { status: number; checks: Record<string, unknown> };

async function readyOf(port: number): Promise<Ready> {
  const res = await fetch(`http://127.0.0.1:${port}/ready`, { signal: AbortSignal.timeout(5_000) });
  return { status: res.status, checks: (await res.json()).checks };
}

Deno.test({
  name:
    "services started against a private MariaDB and Redis stay up when either dies, report /ready false, and recover by themselves",
  ignore: !hasBinary("mariadbd") || !hasBinary("redis-server"),
  async fn() {
    const mariadb = await privateMariaDb({ bufferPoolSizeMb: 64 });
    const redis = await privateRedis();
    const database = "pay_dependency_loss";
    try {
      await Promise.all([mariadb.start(), redis.start()]);
      const platform = await startTestPlatform("dependency_loss", {
        env: {
          PROFILE: "scale-out",
          DB_HOST: "127.0.0.1",
          DB_PORT: String(mariadb.port),
          DB_NAME: database,
          REDIS_URL: `redis://127.0.0.1:${redis.port}`,
        },
      });
      try {
        const { ports } = platform;
        const services = {
          gateway: ports.gateway,
          "ingest-1": ports.ingest[0]!,
          workers: ports.workers,
          ops: ports.ops,
        };
        const readiness = async () => {
          const entries = await Promise.all(
            Object.entries(services).map(async ([name, port]) => [name, await readyOf(port)]),
          );
          return Object.fromEntries(entries) as Record<keyof typeof services, Ready>;
        };
        const allReady = () =>
          until("every service ready", readyChangeDeadlineMs, async () => {
            const r = await readiness();
            return Object.values(r).every((x) => x.status === 200) ? r : undefined;
          });
        await allReady();

        // DB_HOST:DB_PORT was used, not the local MariaDB's socket.
        const connection = await mysql.createConnection({
          host: "127.0.0.1",
          port: mariadb.port,
          user: "root",
        });
        const [rows] = await connection.query<mysql.RowDataPacket[]>(
          "SELECT id FROM ??.merchant",
          [database],
        );
        await connection.end();
        assert.deepEqual(rows.map((r) => r.id), ["M123"]);

        await redis.kill();
        const withoutRedis = await until(
          "not ready without Redis",
          readyChangeDeadlineMs,
          async () => {
            const r = await readiness();
            return r.gateway.status === 503 && r.workers.status === 503 && r.ops.status === 503
              ? r
              : undefined;
          },
        );
        assert.equal(withoutRedis.gateway.checks.redis, false);
        assert.notEqual(withoutRedis.workers.checks.redis, "ok");
        assert.notEqual(withoutRedis.ops.checks.redis, "ok");
        // Ingest degrades without Redis (MariaDB's unique keys decide), so it stays ready.
        assert.equal(withoutRedis["ingest-1"].status, 200);
        assert.equal(withoutRedis["ingest-1"].checks.redis, "down");
        await redis.start();
        await allReady();

        await mariadb.kill();
        const withoutDb = await until(
          "not ready without MariaDB",
          readyChangeDeadlineMs,
          async () => {
            const r = await readiness();
            return Object.values(r).every((x) => x.status === 503) ? r : undefined;
          },
        );
        assert.notEqual(withoutDb.workers.checks.db, "ok");
        assert.equal(withoutDb["ingest-1"].checks.db, "down");
        await mariadb.start();
        await allReady();

        assert.doesNotMatch(platform.output(), /exited \(code/, "no service crashed");
        assert.doesNotMatch(platform.output(), /Unhandled error event/);
      } finally {
        await platform.stop();
      }
    } finally {
      await redis.remove();
      await mariadb.remove();
    }
  },
});
