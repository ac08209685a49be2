/**
 * What services a test spawns need to run in one profile, and the test's own
 * handle on the rows they write: for tests of real processes (the workers
 * process, the platform end to end).
 */
import { type Profile, readStorageConfig } from "@pay/lib/config";
import { openStorage } from "@pay/lib/db";
import { freshMariaDatabase, freshTestRedis, type TestDatabase } from "@pay/lib/testing";

export interface ProfileFixture {
  readonly profile: Profile;
  /** The database the services use, seen from the test. */
  readonly db: TestDatabase;
  /** PROFILE, DATA_DIR, and the storage and Redis variables: spread into every spawned service's env. */
  readonly env: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

/**
 * A fresh platform's worth of state for `profile`, in a data folder of its
 * own (the embedded bus, nonces and database live there, never in the
 * checkout's `.data`):
 *
 * - `embedded`: nothing but the folder. The services find the SQLite
 *   database and the embedded bus under DATA_DIR by their defaults, as on a
 *   fresh machine; the test opens the same database file. Runs everywhere.
 * - `scale-out`: a fresh MariaDB database and a Redis key prefix of the
 *   test's own (the Redis bus by default). Needs both: a file using it
 *   declares `// test-needs: mariadb, redis`.
 */
export async function profileFixture(name: string, profile: Profile): Promise<ProfileFixture> {
  const dataDir = await Deno.makeTempDir({ prefix: `pay_${name}_` });
  const removeDataDir = () => Deno.remove(dataDir, { recursive: true });
  try {
    const { db, env } = profile === "embedded"
      ? await embeddedState(dataDir)
      : await scaleOutState(name);
    return {
      profile,
      db,
      env: { PROFILE: profile, DATA_DIR: dataDir, ...env },
      close: async () => {
        await db.close();
        await removeDataDir();
      },
    };
  } catch (error) {
    await removeDataDir();
    throw error;
  }
}

interface ProfileState {
  readonly db: TestDatabase;
  readonly env: Readonly<Record<string, string>>;
}

async function embeddedState(dataDir: string): Promise<ProfileState> {
  const storage = readStorageConfig({ PROFILE: "embedded", DATA_DIR: dataDir });
  if (storage.kind !== "sqlite") throw new Error(`Embedded storage is not SQLite: ${storage.kind}`);
  const pool = await openStorage(storage);
  const env = { STORAGE: "sqlite", STORAGE_SQLITE_PATH: storage.path };
  return { db: { pool, storage, env, close: () => pool.close() }, env: {} };
}

async function scaleOutState(name: string): Promise<ProfileState> {
  const db = await freshMariaDatabase(name);
  try {
    const redis = await freshTestRedis(name);
    await redis.close();
    return {
      db,
      env: { ...db.env, REDIS_URL: redis.config.url, REDIS_KEY_PREFIX: redis.config.keyPrefix },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}
