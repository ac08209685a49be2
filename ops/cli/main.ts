/** `deno task ops <command>`: the operator CLI (see ops/README.md). Only wiring lives here. */
import { processEnv } from "@pay/lib/config";
import { runCli } from "./cli.ts";

Deno.exit(await runCli(Deno.args, processEnv()));
