/**
 * `deno task load [flags]` (`--help` lists them): open-model load against
 * the gateway, a per-stage report, a latency chart, and correctness checks.
 * Exit status: 0 pass, 1 a check failed, 2 bad usage or setup. The target and
 * pgsim default to the running platform's (DATA_DIR/runtime.json, written by
 * `deno task start`); the environment and flags win.
 */
import { processEnv, toolEnv } from "@pay/lib/config";
import { loadCommand } from "./command.ts";

Deno.exit(await loadCommand(Deno.args, await toolEnv(processEnv()), console.log));
