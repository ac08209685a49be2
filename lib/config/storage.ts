import { join } from "node:path";
import { z } from "zod";
import { type DbConfig, readDbConfig } from "./db.ts";
import { ConfigError, type Env, parseEnv } from "./env.ts";
import { type Profile, readProfileConfig } from "./profile.ts";

/**
 * Where the platform keeps its rows (DESIGN §1): `sqlite`, one file every
 * process of one machine shares (the embedded profile's), or `mariadb`, the
 * server every instance of the scale-out profile shares.
 */
export const storageKinds = ["sqlite", "mariadb"] as const;
export type StorageKind = (typeof storageKinds)[number];

const storageKindDefaults: Record<Profile, StorageKind> = {
  embedded: "sqlite",
  "scale-out": "mariadb",
};

/** File name of the embedded database under DATA_DIR (when STORAGE_SQLITE_PATH is unset). */
export const sqliteStorageFileName = "platform.sqlite3";

export const storageVars = {
  STORAGE: z.enum(storageKinds).optional().describe(
    "Where the rows live: sqlite (one file under DATA_DIR; the embedded default) or mariadb (DB_* variables; the scale-out default). PROFILE=scale-out refuses sqlite",
  ),
  STORAGE_SQLITE_PATH: z.string().optional().describe(
    "STORAGE=sqlite: the database file every process of this machine shares (DATA_DIR/platform.sqlite3 when unset; created with its folder)",
  ),
};

export type StorageConfig =
  | { readonly kind: "sqlite"; readonly path: string }
  | { readonly kind: "mariadb"; readonly db: DbConfig };

export function readStorageConfig(env: Env): StorageConfig {
  const v = parseEnv(storageVars, env);
  const { profile, dataDir } = readProfileConfig(env);
  const kind = v.STORAGE ?? storageKindDefaults[profile];
  if (profile === "scale-out" && kind === "sqlite") {
    // Instances on several machines cannot share one file.
    throw new ConfigError([
      'STORAGE: sqlite needs PROFILE=embedded; the scale-out profile\'s instances share one MariaDB (got "sqlite")',
    ]);
  }
  if (kind === "mariadb") return Object.freeze({ kind, db: readDbConfig(env) });
  const path = v.STORAGE_SQLITE_PATH ?? join(dataDir, sqliteStorageFileName);
  if (path.trim() === "") {
    throw new ConfigError([`STORAGE_SQLITE_PATH: must name a file (got ${JSON.stringify(path)})`]);
  }
  return Object.freeze({ kind, path });
}

/** The MariaDB login of a storage config, or undefined when it is not MariaDB. */
export function mariadbOf(storage: StorageConfig): DbConfig | undefined {
  return storage.kind === "mariadb" ? storage.db : undefined;
}
