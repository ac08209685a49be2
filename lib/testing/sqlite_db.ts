import { migrateSqlite, SqliteDb } from "../db/mod.ts";

export interface TestSqliteDatabase {
  readonly db: SqliteDb;
  close(): Promise<void>;
}

/** A freshly migrated SQLite file of its own in a temporary folder, removed on close. */
export async function freshSqliteDatabase(): Promise<TestSqliteDatabase> {
  const dir = await Deno.makeTempDir({ prefix: "pay_sqlite_" });
  const db = new SqliteDb(`${dir}/pay.sqlite`);
  await migrateSqlite(db);
  return {
    db,
    close: async () => {
      await db.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}
