/**
 * `deno task start` tells the tools where the platform is: DATA_DIR/runtime.json
 * (owner-only) holds the ports and tokens, the load generator, the ops CLI,
 * the MCP server and the webhook listener reach a platform started with
 * `--port-offset` with nothing but DATA_DIR, and their own variables still win.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
// @ts-types="npm:@modelcontextprotocol/sdk@1.32.2/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="npm:@modelcontextprotocol/sdk@1.32.2/client/stdio"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import {
  devApiKeyDefault,
  devOpsToken,
  readMerchantConfig,
  readRuntimeFile,
  runtimeFileName,
} from "@pay/lib/config";
import { removeRuntimeFile, runtimeFileOf, writeRuntimeFile } from "./runtime_file.ts";
import { platformServices, shiftedPorts } from "./services.ts";
import { repoDataDir, repoRoot, startTestPlatform, type TestPlatform } from "./testing.ts";

const decoder = new TextDecoder();

function factsAt(offset: number, opsToken: string | null) {
  const ports = shiftedPorts(offset);
  return {
    pid: 4242,
    startedAt: new Date("2026-01-02T03:04:05Z"),
    profile: "embedded" as const,
    dataDir: "/srv/pay/.data",
    portOffset: offset,
    ports,
    services: platformServices(ports),
    merchant: readMerchantConfig({}),
    opsToken,
  };
}

Deno.test("the runtime file names the moved ports and the variables that reach them", () => {
  const runtime = runtimeFileOf(factsAt(300, devOpsToken));
  assert.deepEqual(runtime.ports, shiftedPorts(300));
  assert.deepEqual(runtime.env, {
    GATEWAY_URL: "http://127.0.0.1:8380",
    LOAD_TARGET_URL: "http://127.0.0.1:8380",
    PG_URL: "http://127.0.0.1:8390",
    OPS_SCRAPE_TARGETS: "gateway=http://127.0.0.1:8380,ingest-1=http://127.0.0.1:8481," +
      "ingest-2=http://127.0.0.1:8482,workers=http://127.0.0.1:8384,pgsim=http://127.0.0.1:8390," +
      "store=http://127.0.0.1:8300",
    DEV_MERCHANT_ID: "M123",
    DEV_API_KEY: devApiKeyDefault,
    OPS_TOKEN: devOpsToken,
  });
  assert.equal(runtime.startedAt, "2026-01-02T03:04:05.000Z");
  const noToken = runtimeFileOf(factsAt(0, null));
  assert.equal(noToken.opsToken, null);
  assert.equal(noToken.env.OPS_TOKEN, undefined, "mutations disabled: no token to hand out");
});

Deno.test("the runtime file is written whole, readable by its owner only, and removed only by its writer", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "runtime_write_" });
  const path = join(dataDir, runtimeFileName);
  try {
    const runtime = runtimeFileOf(factsAt(300, devOpsToken));
    await Deno.writeTextFile(path, "stale, world-readable", { mode: 0o644 });
    await writeRuntimeFile(path, runtime);
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    assert.deepEqual(await readRuntimeFile(path), runtime);
    assert.deepEqual(
      [...Deno.readDirSync(dataDir)].map((entry) => entry.name),
      [runtimeFileName],
      "no temporary file left behind",
    );

    await removeRuntimeFile(path, 1);
    assert.deepEqual(await readRuntimeFile(path), runtime, "another platform's file stays");
    await removeRuntimeFile(path, runtime.pid);
    assert.equal(await readRuntimeFile(path), undefined);
    await removeRuntimeFile(path, runtime.pid);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

/** A task as deno.json defines it (its permissions), in the repository, with `env` added. */
async function task(
  env: Record<string, string>,
  ...args: string[]
): Promise<{ code: number; out: string }> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["task", "--quiet", ...args],
    cwd: repoRoot,
    env: { ...env, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code, out: decoder.decode(stdout) + decoder.decode(stderr) };
}

/** The URLs `deno task ops breaker-status --json` scraped. */
async function scrapedUrls(env: Record<string, string>): Promise<string[]> {
  const { code, out } = await task(env, "ops", "breaker-status", "--json");
  assert.equal(code, 0, out);
  return JSON.parse(out).services.map((service: { url: string }) => service.url);
}

/** `deno task webhooks:listen` until it registered; SIGINT deletes its endpoint. */
async function listenRegisters(env: Record<string, string>): Promise<string> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["task", "--quiet", "webhooks:listen"],
    cwd: repoRoot,
    env: { ...env, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let out = "";
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  while (!out.includes("Waiting for deliveries")) {
    const { value, done } = await reader.read();
    if (done) break;
    out += value;
  }
  child.kill("SIGINT");
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    out += chunk.value;
  }
  const status = await child.status;
  out += decoder.decode(await new Response(child.stderr).arrayBuffer());
  assert.equal(status.code, 0, out);
  return out;
}

/** The MCP server's breaker_status tool, over stdio as an AI client calls it. */
async function mcpScrapedUrls(env: Record<string, string>): Promise<string[]> {
  const transport = new StdioClientTransport({
    command: Deno.execPath(),
    args: ["task", "--quiet", "ops:mcp"],
    cwd: repoRoot,
    env: { ...Deno.env.toObject(), ...env },
    stderr: "pipe",
  });
  const client = new Client({ name: "runtime-file-test", version: "1.0.0" });
  try {
    await client.connect(transport);
    const result = await client.callTool({ name: "breaker_status", arguments: {} });
    const text = (result.content as Array<{ text: string }>).map((c) => c.text).join("");
    return JSON.parse(text).services.map((service: { url: string }) => service.url);
  } finally {
    await client.close();
  }
}

Deno.test("a platform started with --port-offset is reached by load, ops, ops:mcp and webhooks:listen through its runtime file alone", async () => {
  const dataDir = await repoDataDir("runtime_file_");
  const runtimePath = join(dataDir, runtimeFileName);
  let platform: TestPlatform | undefined;
  let stopped = false;
  try {
    platform = await startTestPlatform("ops_runtime_file", { env: { DATA_DIR: dataDir } });
    const { ports, offset } = platform;
    const gateway = `http://127.0.0.1:${ports.gateway}`;
    assert.match(
      platform.output(),
      new RegExp(`Ops console +http://127\\.0\\.0\\.1:${ports.ops} +login token: ${devOpsToken}\n`),
    );
    assert.ok(platform.output().includes(`Runtime file    ${runtimePath} `), platform.output());

    const runtime = await readRuntimeFile(runtimePath);
    assert.ok(runtime, "written once the platform is up");
    assert.equal((await Deno.stat(runtimePath)).mode! & 0o777, 0o600);
    assert.deepEqual([runtime.portOffset, runtime.ports], [offset, ports]);
    assert.deepEqual([runtime.devApiKey, runtime.opsToken], [devApiKeyDefault, devOpsToken]);

    // Nothing but DATA_DIR: every tool finds the moved ports.
    const env = { DATA_DIR: dataDir };
    const everyService = [
      gateway,
      ...ports.ingest.map((port) => `http://127.0.0.1:${port}`),
      `http://127.0.0.1:${ports.workers}`,
      `http://127.0.0.1:${ports.pgsim}`,
      `http://127.0.0.1:${ports.store}`,
    ];
    assert.deepEqual(await scrapedUrls(env), everyService);
    assert.deepEqual(await mcpScrapedUrls(env), everyService);
    const load = await task(
      env,
      ...["load", "--rate", "2", "--duration", "2s", "--warmup", "0s", "--merchants", "0"],
      ...["--no-verify", "--out", join(dataDir, "load")],
    );
    assert.equal(load.code, 0, load.out);
    assert.match(load.out, new RegExp(`^Load run \\S+: authorize against ${gateway}, `, "m"));
    const listened = await listenRegisters(env);
    assert.match(listened, /^Ready\. Endpoint (we_\S+) -> http:\/\/127\.0\.0\.1:\d+\/webhooks$/m);
    assert.match(listened, /^Deleted endpoint we_\S+$/m);

    // The tool's own variables still win over the runtime file.
    const onlyGateway = `gateway=${gateway}`;
    assert.deepEqual(await scrapedUrls({ ...env, OPS_SCRAPE_TARGETS: onlyGateway }), [gateway]);
    const elsewhere = await task({ ...env, GATEWAY_URL: "http://127.0.0.1:9" }, "webhooks:listen");
    assert.equal(elsewhere.code, 1, elsewhere.out);
    assert.match(elsewhere.out, /could not register at http:\/\/127\.0\.0\.1:9 /);

    stopped = true;
    assert.equal(await platform.stop(), 0, platform.output().slice(-4000));
    assert.equal(await readRuntimeFile(runtimePath), undefined, "removed when the platform stops");
  } finally {
    if (platform && !stopped) await platform.stop();
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
});
