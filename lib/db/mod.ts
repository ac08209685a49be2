/** MariaDB: pool, transactions, migrations and repositories. */
export * from "./pool.ts";
export * from "./migrate.ts";
