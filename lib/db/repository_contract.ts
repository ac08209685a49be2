/**
 * The harness of the repository contract suite (`*_contract_test.ts`): one
 * contract is one test per adapter of the storage port it names. A repository
 * not yet ported to SQLite (see README) runs on MariaDB only until it is.
 */
import { freshMariaDatabase, freshSqliteTestDatabase } from "../testing/mod.ts";
import type { Db, Dialect } from "./port.ts";

interface Opened {
  readonly db: Db;
  close(): Promise<void>;
}

const adapters: Record<Dialect, (name: string) => Promise<Opened>> = {
  mariadb: async (name) => {
    const t = await freshMariaDatabase(`contract_${name}`);
    return { db: t.pool, close: t.close };
  },
  sqlite: async (name) => {
    const t = await freshSqliteTestDatabase(`contract_${name}`);
    return { db: t.pool, close: t.close };
  },
};

/** Registers `body` as one test per adapter in `on`, each on a fresh, migrated database. */
export function contract(
  name: string,
  on: readonly Dialect[],
  body: (db: Db, t: Deno.TestContext) => Promise<void>,
): void {
  for (const dialect of on) {
    // Without MariaDB (`deno task test` on a machine with nothing but Deno) only SQLite's half runs.
    const ignore = dialect === "mariadb" && Deno.env.get("TEST_STORAGE") === "sqlite";
    Deno.test({ name: `[${dialect}] ${name}`, ignore }, async (t) => {
      const opened = await adapters[dialect](name.replace(/[^a-z]+/g, "_").slice(0, 24));
      try {
        await body(opened.db, t);
      } finally {
        await opened.close();
      }
    });
  }
}

/** Both adapters: a ported repository's contracts run on each. */
export const both = ["mariadb", "sqlite"] as const;

let serial = 0;
/** An id unique in this test process. */
export const nextId = (prefix: string) => `${prefix}_${Date.now()}_${++serial}`;
