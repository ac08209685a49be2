/** `deno task webhooks:listen [--forward URL] [--events a,b] [--api URL]` (see ops/README.md). */
import { devApiKeyDefault } from "@pay/lib/config";
import { parseArgs } from "../cli/args.ts";
import { type Listener, startListener } from "./listen.ts";

const { flags } = parseArgs(Deno.args);
const apiUrl = flags.api ?? Deno.env.get("GATEWAY_URL") ?? "http://127.0.0.1:8080";
let listener: Listener;
try {
  listener = await startListener({
    apiUrl,
    apiKey: Deno.env.get("DEV_API_KEY") ?? devApiKeyDefault,
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
