import mysql from "mysql2/promise";
import { type DbConfig, processEnv, readDbConfig } from "../config/mod.ts";
import { createPool, migrate, type Pool } from "../db/mod.ts";

export interface TestDatabase {
  readonly config: DbConfig;
  readonly pool: Pool;
  close(): Promise<void>;
}

/**
 * A freshly migrated database of its own for one test file, so test files run
 * in parallel without seeing each other's rows. Fails loudly when MariaDB is
 * not reachable: integration tests never skip.
 */
export async function freshTestDatabase(name: string): Promise<TestDatabase> {
  // TEST_DB_TAG keeps two checkouts testing at once on one server apart.
  const tag = Deno.env.get("TEST_DB_TAG") ?? "";
  if (!/^[a-z0-9_]{1,40}$/.test(name)) throw new Error(`Bad test database name: ${name}`);
  if (!/^[a-z0-9_]{0,12}$/.test(tag)) throw new Error(`Bad TEST_DB_TAG: ${tag}`);
  const database = `pay_t_${tag}${name}`;
  const config = { ...readDbConfig(processEnv()), database, poolSize: 24 };
  let admin: mysql.Connection;
  try {
    admin = await mysql.createConnection({
      host: config.host,
      port: config.port,
      socketPath: config.socketPath,
      user: config.user,
      password: config.password,
    });
  } catch (error) {
    throw new Error(
      `MariaDB is not reachable at ${config.host}:${config.port} (integration tests need it): ${error}`,
    );
  }
  await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeId(config.database)}`);
  await admin.end();
  await migrate(config);
  const pool = createPool(config);
  return { config, pool, close: () => pool.end() };
}
