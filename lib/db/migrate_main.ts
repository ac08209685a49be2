import { processEnv, readDbConfig } from "../config/mod.ts";
import { migrate } from "./migrate.ts";

const config = readDbConfig(processEnv());
const applied = await migrate(config, (line) => console.log(line));
console.log(
  applied.length
    ? `Applied ${applied.length} migration(s) to ${config.database}`
    : `Database ${config.database} is up to date`,
);
