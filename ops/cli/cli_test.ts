import assert from "node:assert/strict";
import { fixtureWrite } from "@pay/lib/testing";
import {
  insertPayment,
  metricsText,
  type OpsHarness,
  opsHarness,
  postCapture,
} from "../testing/harness.ts";
import { parseArgs } from "./args.ts";
import { type CliIo, exitOk, exitProblems, exitUsage, runCli } from "./cli.ts";
import { formatHuman } from "./format.ts";

const mainEntry = new URL("./main.ts", import.meta.url).pathname;

function capture(): CliIo & { out: (l: string) => void; stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}

/*
 * runCli closes the storage it opened; on SQLite that is the process's one
 * connection to the file, the harness's too: a test writes its fixtures
 * before the CLI runs in-process.
 */

/** The CLI's environment on a harness's database; port 9: nothing listens, the scrape fails fast. */
function cliEnv(h: OpsHarness): Record<string, string> {
  return { ...h.processEnv, OPS_SCRAPE_TARGETS: "ingest-1=http://127.0.0.1:9" };
}

Deno.test("flags parse with values, = and bare booleans, and results print as tables", () => {
  assert.deepEqual(
    parseArgs(["payment", "--json", "pay_1", "--limit=5", "--merchant-id", "M1", "--all"]),
    {
      positionals: ["payment", "pay_1"],
      flags: { json: "true", limit: "5", "merchant-id": "M1", all: "true" },
    },
  );
  assert.deepEqual(formatHuman({ ok: true, rows: [{ a: 1, b: "x" }, { a: 22, b: null }] }), [
    "ok: true",
    "rows:",
    "  a   b",
    "  --  -",
    "  1   x",
    "  22  -",
  ]);
});

Deno.test("the CLI runs operations with exit 0, 1 when a check finds problems, 2 on usage errors", async () => {
  const h = await opsHarness("ops_cli");
  try {
    const env = cliEnv(h);
    const payment = await insertPayment(h.db.pool, { status: "CAPTURED", capturedAmount: 10_000 });

    let io = capture();
    assert.equal(await runCli(["--help"], env, io), exitOk);
    assert.match(io.stdout.join("\n"), /deno task ops <command>/);
    io = capture();
    assert.equal(await runCli([], env, io), exitUsage);
    io = capture();
    assert.equal(await runCli(["frobnicate"], env, io), exitUsage);
    assert.match(io.stderr.join("\n"), /Unknown command: frobnicate/);
    io = capture();
    assert.equal(await runCli(["payments", "--status", "NOPE"], env, io), exitUsage);
    assert.match(io.stderr.join("\n"), /Usage error: status: one of/);
    io = capture();
    assert.equal(await runCli(["payments", "--colour", "red"], env, io), exitUsage);
    io = capture();
    assert.equal(
      await runCli(["dlq-replay"], env, io),
      exitUsage,
      "a replay must select something",
    );

    io = capture();
    assert.equal(await runCli(["payments", "--json", "--merchant-id", "M123"], env, io), exitOk);
    assert.deepEqual(JSON.parse(io.stdout.join("\n")).data.map((p: { id: string }) => p.id), [
      payment.id,
    ]);
    io = capture();
    assert.equal(await runCli(["payment", payment.id], env, io), exitOk);
    assert.match(io.stdout.join("\n"), /status: CAPTURED/);
    io = capture();
    assert.equal(
      await runCli(["payment", "pay_0000000000aaaaaaaaaaaaaaaa"], env, io),
      exitProblems,
    );
    assert.match(io.stderr.join("\n"), /not_found/);

    // captured 10 000 but the ledger has no entry: the payable check fails.
    io = capture();
    assert.equal(await runCli(["ledger-check", "--json"], env, io), exitProblems);
    assert.equal(JSON.parse(io.stdout.join("\n")).payableMismatches.length, 1);

    io = capture();
    assert.equal(
      await runCli(["merchant", "create", "--id", "M900", "--name", "Shop"], env, io),
      exitOk,
    );
    assert.match(io.stdout.join("\n"), /API key: sk_test_[0-9a-z]{16}_/);
    io = capture();
    assert.equal(
      await runCli(["merchant", "add-key", "--publishable", "--id", "M900"], env, io),
      exitOk,
    );
    assert.match(io.stdout.join("\n"), /API key: pk_test_[0-9a-z]{16}_/);
    io = capture();
    assert.equal(await runCli(["merchant", "list", "--id", "M900"], env, io), exitOk);
    assert.deepEqual(io.stdout.map((line) => line.split("\t")[2]), ["secret", "publishable"]);
    io = capture();
    assert.equal(
      await runCli(["merchant", "create", "--id", "M900", "--name", "Again"], env, io),
      exitProblems,
    );
    io = capture();
    assert.equal(await runCli(["merchant", "fly"], env, io), exitUsage);
    io = capture();
    assert.equal(await runCli(["migrate"], env, io), exitOk);
    assert.match(io.stdout.join("\n"), /is up to date/);
  } finally {
    await h.close();
  }
});

Deno.test("ledger-check exits 0 and prints ok when every captured payment's entry is posted", async () => {
  const h = await opsHarness("ops_cli_ledger");
  try {
    const payment = await insertPayment(h.db.pool, { status: "CAPTURED", capturedAmount: 10_000 });
    await postCapture(h.db.pool, payment, 10_000);
    const io = capture();
    assert.equal(await runCli(["ledger-check"], cliEnv(h), io), exitOk);
    assert.match(io.stdout.join("\n"), /ok: true/);
  } finally {
    await h.close();
  }
});

Deno.test("deno task ops exits with the operation's status and prints JSON with --json", async () => {
  const h = await opsHarness("ops_cli_process");
  try {
    await fixtureWrite(
      h.db.pool,
      `INSERT INTO outbox_event (event_id, aggregate_id, topic, payload, status, attempts, next_attempt_at, created_at)
       VALUES ('evt_d', 'pay_d', 'payment.captured', '{}', 'DEAD', 20, NOW(3), NOW(3))`,
    );
    const run = (args: string[]) =>
      new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "--quiet", mainEntry, ...args],
        env: cliEnv(h),
        stdout: "piped",
        stderr: "piped",
      }).output();
    const outbox = await run(["outbox", "--json"]);
    assert.equal(outbox.code, exitProblems, "DEAD rows are a problem");
    assert.equal(JSON.parse(new TextDecoder().decode(outbox.stdout)).dead, 1);
    const requeued = await run(["outbox-requeue", "--all"]);
    assert.equal(requeued.code, exitOk, new TextDecoder().decode(requeued.stderr));
    assert.match(new TextDecoder().decode(requeued.stdout), /requeued: 1/);
    const usage = await run(["outbox", "--limit", "0"]);
    assert.equal(usage.code, exitUsage);
  } finally {
    await h.close();
  }
});

Deno.test("breaker-diagnose exits 1 and names the PG when its calls fail while its /health answers", async () => {
  const h = await opsHarness("ops_cli_breakers");
  let failing = true;
  // One process plays the PG (its /health answers) and a service whose breaker sees the calls.
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
    if (new URL(request.url).pathname === "/health") return Response.json({ status: "ok" });
    const calls: Record<string, number> = failing ? { success: 3, failure: 4 } : { success: 7 };
    return new Response(metricsText({ breaker: "pg-settlement", state: 0, calls }));
  });
  try {
    const url = `http://127.0.0.1:${server.addr.port}`;
    const env = { ...h.processEnv, OPS_SCRAPE_TARGETS: `workers=${url}`, PG_URL: url };
    let io = capture();
    assert.equal(await runCli(["breaker-diagnose"], env, io), exitProblems);
    const text = io.stdout.join("\n");
    assert.match(text, /healthy: false/);
    assert.match(
      text,
      /summary: PG \(pgsim\) is failing: workers\/pg-settlement failed 57 % of 7 calls since the service started/,
    );
    assert.match(text, /pg-settlement +closed +57 % +7 /);
    assert.doesNotMatch(text, /0\.57/, "rates print as percentages");
    io = capture();
    assert.equal(await runCli(["breaker-diagnose", "--json"], env, io), exitProblems);
    assert.deepEqual(JSON.parse(io.stdout.join("\n")).failingDependencies, ["PG (pgsim)"]);

    failing = false;
    io = capture();
    assert.equal(await runCli(["breaker-diagnose"], env, io), exitOk, io.stdout.join("\n"));
    assert.match(io.stdout.join("\n"), /healthy: true/);
  } finally {
    await server.shutdown();
    await h.close();
  }
});
