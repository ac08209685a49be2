/**
 * `deno task webhooks:listen [--forward URL] [--events a,b] [--api URL]` (see
 * ops/README.md): the running platform's gateway and dev key come from
 * DATA_DIR/runtime.json unless the environment or `--api` say otherwise.
 */
import { processEnv, toolEnv } from "@pay/lib/config";
import { parseArgs } from "../cli/args.ts";
import { type Listener, listenTarget, startListener } from "./listen.ts";

const { flags } = parseArgs(Deno.args);
const { apiUrl, apiKey } = listenTarget(flags, await toolEnv(processEnv()));
let listener: Listener;
try {
  listener = await startListener({
    apiUrl,
    apiKey,
    events: flags.events ? flags.events.split(",").map((s) => s.trim()).filter(Boolean) : ["*"],
    forward: flags.forward,
    out: (line) => console.log(line),
  });
} catch (error) {
  console.error(
    `webhooks:listen could not register at ${apiUrl} (is \`deno task start\` running?): ${
      (error as Error).message
    }`,
  );
  Deno.exit(1);
}
console.log("Waiting for deliveries (Ctrl-C deletes the endpoint and stops)...");
const stop = async () => {
  Deno.removeSignalListener("SIGINT", stop);
  await listener.close();
  Deno.exit(0);
};
Deno.addSignalListener("SIGINT", stop);
