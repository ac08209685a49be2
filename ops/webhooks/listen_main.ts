/** `deno task webhooks:listen [--forward URL] [--events a,b] [--api URL]` (see ops/README.md). */
import { parseArgs } from "../cli/args.ts";
import { devApiKeyDefault } from "@pay/lib/config";
import { startListener } from "./listen.ts";

const { flags } = parseArgs(Deno.args);
const listener = await startListener({
  apiUrl: flags.api ?? Deno.env.get("GATEWAY_URL") ?? "http://127.0.0.1:8080",
  apiKey: Deno.env.get("DEV_API_KEY") ?? devApiKeyDefault,
  events: flags.events ? flags.events.split(",").map((s) => s.trim()).filter(Boolean) : ["*"],
  forward: flags.forward,
  out: (line) => console.log(line),
});
console.log("Waiting for deliveries (Ctrl-C deletes the endpoint and stops)...");
const stop = async () => {
  Deno.removeSignalListener("SIGINT", stop);
  await listener.close();
  Deno.exit(0);
};
Deno.addSignalListener("SIGINT", stop);
