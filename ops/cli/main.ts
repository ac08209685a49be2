/**
 * `deno task ops <command>`: the operator CLI (see ops/README.md). Only wiring
 * lives here. The running platform's ports and tokens come from
 * DATA_DIR/runtime.json unless the environment sets them.
 */
import { processEnv, toolEnv } from "@pay/lib/config";
import { runCli } from "./cli.ts";

Deno.exit(await runCli(Deno.args, await toolEnv(processEnv())));
