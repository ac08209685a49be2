/**
 * The README's 5-minute tour runs top to bottom as written: a platform
 * started as `deno task start` starts it (the embedded default profile, its
 * own ports and data folder), bash runs the tour's block with only the ports
 * moved, and each step answers what its comment says.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  curlStatusConfig,
  stepOutcomes,
  tourScript,
  type TourStep,
  tourSteps,
  withPorts,
} from "./readme_tour.ts";
import { defaultPorts } from "./services.ts";
import { repoDataDir, repoRoot, startTestPlatform, type TestPlatform } from "./testing.ts";

/**
 * Bounds a tour that hangs (a wait loop whose state never comes): settling
 * takes well under a second a step, `deno task ops` a few seconds to load.
 */
const tourDeadlineMs = 120_000;

const readme = await Deno.readTextFile(join(repoRoot, "README.md"));

Deno.test("the tour's steps carry the answers they promise, and its ports can be moved", () => {
  const steps = tourSteps(readme);
  const promised = steps.filter((step) => step.httpStatus ?? step.paymentStatus);
  assert.ok(promised.length >= 6, `only ${promised.length} steps say what they answer`);
  assert.deepEqual(
    tourSteps(
      "<!-- tour: ops/supervisor/readme_tour_test.ts -->\n```sh\n# a → 201 AUTHORIZED\ncurl x\n\n# b\nls\n```\n",
    ),
    [
      { text: "# a → 201 AUTHORIZED\ncurl x", httpStatus: 201, paymentStatus: "AUTHORIZED" },
      { text: "# b\nls" },
    ],
  );
  const ports = { ...defaultPorts, gateway: 28080, ops: 28082 };
  assert.equal(
    withPorts("http://127.0.0.1:8080/api and 127.0.0.1:8082, not 127.0.0.1:9999", ports),
    "http://127.0.0.1:28080/api and 127.0.0.1:28082, not 127.0.0.1:9999",
  );
});

function describeStep(step: TourStep, n: number, output: string, statuses: readonly number[]) {
  return `step ${n}:\n${step.text}\nanswered ${JSON.stringify(statuses)}:\n${
    output.slice(0, 2000)
  }`;
}

Deno.test("the README's tour runs top to bottom as written against a fresh platform", async () => {
  const steps = tourSteps(readme);
  const dataDir = await repoDataDir("readme_tour_");
  const curlHome = await Deno.makeTempDir({ prefix: "readme_tour_curl_" });
  await Deno.writeTextFile(join(curlHome, ".curlrc"), curlStatusConfig);
  let platform: TestPlatform | undefined;
  try {
    platform = await startTestPlatform("ops_readme_tour", { env: { DATA_DIR: dataDir } });
    const { code, stdout, stderr } = await new Deno.Command("bash", {
      args: ["-c", withPorts(tourScript(steps), platform.ports)],
      cwd: repoRoot,
      env: { DATA_DIR: dataDir, CURL_HOME: curlHome, NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(tourDeadlineMs),
    }).output();
    const out = new TextDecoder().decode(stdout);
    const err = new TextDecoder().decode(stderr);
    const outcomes = stepOutcomes(out, err, steps.length);
    steps.forEach((step, n) => {
      const { output, httpStatuses } = outcomes[n]!;
      const context = describeStep(step, n, output, httpStatuses);
      assert.ok(httpStatuses.every((status) => status >= 200 && status < 300), context);
      if (step.httpStatus !== undefined) {
        assert.equal(httpStatuses.at(-1), step.httpStatus, context);
      }
      if (step.paymentStatus !== undefined) {
        assert.match(
          output,
          new RegExp(`"status":"${step.paymentStatus}"|status: ${step.paymentStatus}\\b`),
          context,
        );
      }
    });
    assert.equal(code, 0, `the tour stopped:\n${out.slice(-3000)}\n${err.slice(-3000)}`);
  } finally {
    await platform?.stop();
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    await Deno.remove(curlHome, { recursive: true }).catch(() => {});
  }
});
