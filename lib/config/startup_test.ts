import assert from "node:assert/strict";
import { configProblems, platformConfigProblems, serviceConfigReaders } from "./startup.ts";

Deno.test("every service's configuration is validated up front, each bad variable once with the services that read it", () => {
  const env = { PROFILE: "scale-out", RATE_LIMIT_AUTHORIZE_PER_MIN: "abc", DB_PORT: "x" };
  const problems = platformConfigProblems([
    { name: "gateway", kind: "gateway", env },
    { name: "ingest-1", kind: "ingest", env },
    { name: "pgsim", kind: "pgsim", env },
  ]);
  assert.equal(problems.length, 2, problems.join("\n"));
  assert.match(problems[0]!, /^RATE_LIMIT_AUTHORIZE_PER_MIN: .*\(got "abc"\) \[gateway\]$/);
  assert.match(problems[1]!, /^DB_PORT: .*\(got "x"\) \[gateway, ingest-1\]$/);
  assert.deepEqual(platformConfigProblems([{ name: "ops", kind: "ops", env: {} }]), []);
  // The embedded profile's rows are in SQLite: it reads no DB_* variable.
  const embedded = { DB_PORT: "x" };
  assert.deepEqual(platformConfigProblems([{ name: "ingest", kind: "ingest", env: embedded }]), []);
});

Deno.test("checks beyond the schema count too: upstream URLs and the workers' bus", () => {
  assert.match(
    configProblems(serviceConfigReaders.gateway, { INGEST_UPSTREAMS: "ftp://x" })[0]!,
    /^INGEST_UPSTREAMS: expected http:\/\/host:port/,
  );
  assert.deepEqual(configProblems(serviceConfigReaders.workers, { BUS: "memory" }), [
    "BUS: memory is for tests only; the workers process needs embedded, redis or kafka",
  ]);
  assert.deepEqual(configProblems(serviceConfigReaders.ops, { BUS: "memory" }), []);
});

Deno.test("DB_SOCKET without write permission on it names the variable and the flag", async () => {
  const socket = "/tmp/opsup-no-such-permission.sock";
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-env",
      "--allow-read",
      "--allow-net",
      new URL("../db/migrate_main.ts", import.meta.url).pathname,
    ],
    env: { STORAGE: "mariadb", DB_SOCKET: socket, NO_COLOR: "1" },
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.equal(code, 2);
  assert.equal(
    new TextDecoder().decode(stderr).trim(),
    `Invalid configuration:\n  DB_SOCKET: connecting to the socket needs write permission; run with --allow-write=${socket} or unset DB_SOCKET to use DB_HOST:DB_PORT (got "${socket}")`,
  );
});
