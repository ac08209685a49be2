/** pgsim/main.ts as a process: start-up validation, serving, clean shutdown. */
import assert from "node:assert/strict";
import { unusedPort } from "./testing.ts";

const mainUrl = new URL("./main.ts", import.meta.url);
const permissions = ["--allow-net", "--allow-env", "--allow-read", "--allow-write"];

function pgsimProcess(env: Record<string, string>, stdout: "piped" | "null" = "null") {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", ...permissions, mainUrl.pathname],
    env: { ...env, RUST_BACKTRACE: "0", NO_COLOR: "1" },
    stdout,
    stderr: "piped",
  });
}

Deno.test("pgsim stops at start-up on a bad variable, naming it", async () => {
  const result = await pgsimProcess({ PGSIM_LATENCY_MS_MIN: "20", PGSIM_LATENCY_MS_MAX: "10" })
    .output();
  assert.notEqual(result.code, 0);
  assert.match(new TextDecoder().decode(result.stderr), /PGSIM_LATENCY_MS_MIN/);
});

Deno.test("pgsim serves on PGSIM_PORT, logs its seed, and exits 0 on SIGTERM", async () => {
  const port = unusedPort();
  const child = pgsimProcess({ PGSIM_PORT: String(port), PGSIM_SEED: "99" }, "piped").spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let log = "";
  while (!log.includes("listening")) {
    const { value, done } = await lines.read();
    if (done) break;
    log += value;
  }
  assert.match(log, /Fault seed 99/);
  const health = await fetch(`http://127.0.0.1:${port}/health`);
  assert.equal(health.status, 200);
  await health.body?.cancel();
  child.kill("SIGTERM");
  assert.equal((await child.status).code, 0);
  await lines.cancel();
  await child.stderr.cancel();
});
