import { parseArgs } from "node:util";
import { processEnv, readMerchantConfig, readStorageConfig } from "@pay/lib/config";
import { openStorage } from "@pay/lib/db";
import { commandOf, runMerchantCommand, usage } from "./commands.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    id: { type: "string" },
    name: { type: "string" },
    label: { type: "string" },
    revoke: { type: "string" },
    list: { type: "boolean" },
    "add-key": { type: "boolean" },
    publishable: { type: "boolean" },
    help: { type: "boolean" },
  },
});
if (values.help) {
  console.log(usage);
  Deno.exit(0);
}
let command;
try {
  command = commandOf(values);
} catch (error) {
  console.error(`${(error as Error).message}\n\n${usage}`);
  Deno.exit(2);
}
const env = processEnv();
const pool = await openStorage(readStorageConfig(env));
try {
  const lines = await runMerchantCommand(pool, command, readMerchantConfig(env).apiKeyEnv);
  for (const line of lines) console.log(line);
} catch (error) {
  console.error((error as Error).message);
  Deno.exitCode = 1;
} finally {
  await pool.close();
}
