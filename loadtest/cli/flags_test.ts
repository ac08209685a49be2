import assert from "node:assert/strict";
import type { LoadtestConfig } from "@pay/lib/config";
import { cliDefaults, parseCliArgs, resolvePlan } from "./flags.ts";

const config: LoadtestConfig = {
  targetUrl: "http://127.0.0.1:8080",
  enableCapture: false,
  enableRefund: false,
  resultsDir: "test-output/load",
};

Deno.test("without flags: the original k6 plan, authorize only, at the gateway, with the default limits", () => {
  const cli = parseCliArgs([], config);
  assert.equal(cli.scenario, "authorize");
  assert.equal(cli.refund, false);
  assert.equal(cli.targetUrl, "http://127.0.0.1:8080");
  assert.equal(cli.planSource.kind === "plan" && cli.planSource.label, "profile k6");
  assert.equal(cli.maxInFlight, cliDefaults.maxInFlight);
  assert.equal(cli.requestTimeoutMs, 10_000);
  assert.equal(cli.merchants, undefined);
  assert.equal(cli.verify, true);
  assert.equal(cli.outDir, "test-output/load");
});

Deno.test("ENABLE_CAPTURE and ENABLE_REFUND select the flow like the original script; flags do too", () => {
  const fromEnv = parseCliArgs([], { ...config, enableCapture: true, enableRefund: true });
  assert.deepEqual([fromEnv.scenario, fromEnv.refund], ["flow", true]);
  const fromFlags = parseCliArgs(["--capture", "--refund", "--refund-ratio", "0.3"], config);
  assert.deepEqual([fromFlags.scenario, fromFlags.refund, fromFlags.refundRatio], [
    "flow",
    true,
    0.3,
  ]);
  assert.equal(parseCliArgs(["--scenario", "flow"], config).scenario, "flow");
});

Deno.test("a refund without a capture, or a capture with --scenario authorize, is refused", () => {
  assert.throws(() => parseCliArgs(["--refund"], config), /needs captured payments/);
  assert.throws(
    () => parseCliArgs(["--capture", "--scenario", "authorize"], config),
    /contradicts/,
  );
  assert.throws(
    () => parseCliArgs(["--scenario", "soak"], config),
    /--scenario must be one of authorize, flow: soak/,
  );
});

Deno.test("a constant rate gets a warm-up stage; stages and scale build the plan", async () => {
  const cli = parseCliArgs(["--rate", "3000", "--duration", "60s"], config);
  const { plan } = await resolvePlan(
    cli.planSource,
    cli.scale,
    () => Promise.reject(new Error("no file")),
  );
  assert.deepEqual(plan.stages.map((s) => [s.name, s.durationMs, s.target]), [
    ["warm-up", 10_000, 3_000],
    ["sustain", 60_000, 3_000],
  ]);
  const staged = parseCliArgs(
    ["--stages", "10s:100,10s:0", "--start-rate", "20", "--scale", "2"],
    config,
  );
  const scaled = await resolvePlan(
    staged.planSource,
    staged.scale,
    () => Promise.reject(new Error("no file")),
  );
  assert.equal(scaled.plan.startRate, 40);
  assert.deepEqual(scaled.plan.stages.map((s) => s.target), [200, 0]);
  assert.equal(scaled.label, "stages × 2");
});

Deno.test("a stages file is read through the given reader", async () => {
  const cli = parseCliArgs(["--stages-file", "plan.json"], config);
  const { plan, label } = await resolvePlan(cli.planSource, 1, (path) => {
    assert.equal(path, "plan.json");
    return Promise.resolve('{"startRate":5,"stages":[{"duration":"2s","target":10}]}');
  });
  assert.equal(plan.startRate, 5);
  assert.equal(label, "file plan.json");
});

Deno.test("bad flags are refused with the flag named", () => {
  const refused: Array<[string[], RegExp]> = [
    [["--profile", "k6", "--rate", "5"], /Choose one rate plan, not --profile and --rate/],
    [["--duration", "10s"], /--duration goes with --rate/],
    [["--start-rate", "3"], /--start-rate goes with --stages/],
    [["--profile", "huge"], /--profile must be one of k6, k6-200, smoke: huge/],
    [["--max-in-flight", "0"], /--max-in-flight must be an integer from 1/],
    [["--timeout", "soon"], /--timeout must be a duration like 30s or 500ms: soon/],
    [["--refund-ratio", "2", "--capture"], /--refund-ratio must be between 0 and 1: 2/],
    [["--currency", "won"], /--currency must be one of .*KRW.*: won/],
    [["--scale", "0"], /--scale must be above 0/],
    [["--bogus"], /Unknown option '--bogus'/],
  ];
  for (const [args, message] of refused) {
    assert.throws(() => parseCliArgs(args, config), message, args.join(" "));
  }
});
