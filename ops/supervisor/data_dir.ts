import { dirname, resolve } from "node:path";
import { type Env, readBusConfig, readProfileConfig, readStorageConfig } from "@pay/lib/config";

/** pgsim's records under DATA_DIR when PGSIM_DATA_FILE is unset. */
export const pgsimDataFileName = "pgsim.sqlite3";

/** Where the platform started by the supervisor keeps its files. */
export interface PlatformData {
  /** DATA_DIR, absolute (services run in the repository root, the supervisor anywhere). */
  readonly dataDir: string;
  /**
   * Absolute folders every service may write: DATA_DIR (the embedded
   * database and bus, the ingest nonces, the store's state, pgsim's records),
   * and the folders of the database and the bus when STORAGE_SQLITE_PATH or
   * BUS_EMBEDDED_PATH put them elsewhere.
   */
  readonly writePaths: readonly string[];
  /** pgsim's SQLite file, absolute: PGSIM_DATA_FILE, or DATA_DIR/pgsim.sqlite3. */
  readonly pgsimDataFile: string;
  /** Variables every service gets, so that all of them name the same absolute files. */
  readonly env: Readonly<Record<string, string>>;
}

/**
 * The platform's data folder and files from `env` (already validated), with
 * relative paths resolved against `cwd`. In both profiles pgsim keeps its
 * records on disk, so a restart does not turn yesterday's captures into
 * `authorization_not_found` failures or reconciliation mismatches.
 */
export function platformData(env: Env, cwd: string): PlatformData {
  const dataDir = resolve(cwd, readProfileConfig(env).dataDir);
  const withAbsoluteDataDir = { ...env, DATA_DIR: dataDir };
  const bus = readBusConfig(withAbsoluteDataDir);
  const busFile = bus.kind === "embedded" ? resolve(cwd, bus.embeddedPath) : undefined;
  const storage = readStorageConfig(withAbsoluteDataDir);
  const storageFile = storage.kind === "sqlite" ? resolve(cwd, storage.path) : undefined;
  const pgsimDataFile = resolve(cwd, env.PGSIM_DATA_FILE || `${dataDir}/${pgsimDataFileName}`);
  const files = [busFile, storageFile].filter((file): file is string => file !== undefined);
  const writePaths = [...new Set([dataDir, ...files.map((file) => dirname(file))])];
  return {
    dataDir,
    writePaths,
    pgsimDataFile,
    env: {
      DATA_DIR: dataDir,
      PGSIM_DATA_FILE: pgsimDataFile,
      ...(busFile ? { BUS_EMBEDDED_PATH: busFile } : {}),
      ...(storageFile ? { STORAGE_SQLITE_PATH: storageFile } : {}),
    },
  };
}

/** Creates the folders the services write in (SQLite creates files, not folders). */
export async function ensureDataFolders(data: PlatformData): Promise<void> {
  for (const path of [...data.writePaths, dirname(data.pgsimDataFile)]) {
    await Deno.mkdir(path, { recursive: true });
  }
}
