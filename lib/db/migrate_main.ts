import { ConfigError, processEnv, readDbConfig } from "../config/mod.ts";
import { migrate } from "./migrate.ts";

let config;
try {
  config = readDbConfig(processEnv());
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  Deno.exit(2);
}
const applied = await migrate(config, (line) => console.log(line));
console.log(
  applied.length
    ? `Applied ${applied.length} migration(s) to ${config.database}`
    : `Database ${config.database} is up to date`,
);
