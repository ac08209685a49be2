import assert from "node:assert/strict";
import { join } from "node:path";
import { ConfigError } from "./env.ts";
import {
  readRuntimeFile,
  type RuntimeFile,
  runtimeFilePath,
  toolEnv,
  withRuntimeEnv,
} from "./runtime_file.ts";

const runtime: RuntimeFile = {
  pid: 4242,
  startedAt: "2026-01-02T03:04:05.000Z",
  profile: "embedded",
  dataDir: "/srv/pay/.data",
  portOffset: 100,
  ports: {
    gateway: 8180,
    ingest: [8281, 8282],
    workers: 8184,
    pgsim: 8190,
    store: 8100,
    ops: 8182,
  },
  devMerchantId: "M123",
  devApiKey: "pk_dev_devm123key0000000_devsecretdevsecretdevsecret0000",
  opsToken: "dev-ops-token-change-me-0123456789",
  env: {
    GATEWAY_URL: "http://127.0.0.1:8180",
    LOAD_TARGET_URL: "http://127.0.0.1:8180",
    PG_URL: "http://127.0.0.1:8190",
  },
};

Deno.test("the runtime file lives in DATA_DIR, resolved against the working directory", () => {
  assert.equal(runtimeFilePath({}, "/repo"), "/repo/.data/runtime.json");
  assert.equal(runtimeFilePath({ DATA_DIR: "run/a" }, "/repo"), "/repo/run/a/runtime.json");
  assert.equal(runtimeFilePath({ DATA_DIR: "/var/pay" }, "/repo"), "/var/pay/runtime.json");
});

Deno.test("a tool takes the platform's variables unless its environment sets them", () => {
  const env = withRuntimeEnv(
    { GATEWAY_URL: "http://127.0.0.1:9999", PG_URL: "", DB_SOCKET: "", HOME: "/root" },
    runtime,
  );
  assert.deepEqual(env, {
    GATEWAY_URL: "http://127.0.0.1:9999",
    LOAD_TARGET_URL: "http://127.0.0.1:8180",
    PG_URL: "http://127.0.0.1:8190",
    DB_SOCKET: "",
    HOME: "/root",
  });
  const alone = { GATEWAY_URL: "http://127.0.0.1:9999" };
  assert.equal(withRuntimeEnv(alone, undefined), alone, "no platform running: the env as it is");
});

Deno.test("toolEnv reads DATA_DIR/runtime.json, and without one leaves the environment alone", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "runtime_file_" });
  try {
    const env = { DATA_DIR: dataDir, PG_URL: "http://127.0.0.1:7000" };
    assert.deepEqual(await toolEnv(env), env);
    await Deno.writeTextFile(join(dataDir, "runtime.json"), JSON.stringify(runtime));
    assert.deepEqual(await toolEnv(env), {
      ...env,
      GATEWAY_URL: "http://127.0.0.1:8180",
      LOAD_TARGET_URL: "http://127.0.0.1:8180",
    });
    assert.deepEqual(await readRuntimeFile(join(dataDir, "runtime.json")), runtime);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("a runtime file that is not one names its path instead of guessing", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "runtime_file_" });
  const path = join(dataDir, "runtime.json");
  try {
    await Deno.writeTextFile(path, "{not json");
    await assert.rejects(readRuntimeFile(path), (error: ConfigError) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.problems[0]!, new RegExp(`^${path}: not JSON`));
      return true;
    });
    await Deno.writeTextFile(path, JSON.stringify({ ...runtime, ports: { gateway: "8080" } }));
    await assert.rejects(readRuntimeFile(path), (error: ConfigError) => {
      assert.match(
        error.problems[0]!,
        /: not a runtime file of deno task start \(.*\); delete it$/,
      );
      return true;
    });
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
