import { ConfigError, processEnv, readStorageConfig } from "../config/mod.ts";
import { describeStorage, migrateStorage } from "./storage.ts";

let storage;
try {
  storage = readStorageConfig(processEnv());
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  Deno.exit(2);
}
const applied = await migrateStorage(storage, (line) => console.log(line));
console.log(
  applied.length
    ? `Applied ${applied.length} migration(s) to ${describeStorage(storage)}`
    : `${describeStorage(storage)} is up to date`,
);
