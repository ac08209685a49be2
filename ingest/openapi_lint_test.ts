import assert from "node:assert/strict";
import denoConfig from "../deno.json" with { type: "json" };
import { buildOpenApiDocument } from "./openapi.ts";

/** The pinned Redocly CLI (deno.json imports), run as `deno run npm:@redocly/cli@<version>`. */
const redoclyCli = denoConfig.imports["@redocly/cli"];
const redoclyConfig = new URL("./openapi/redocly.yaml", import.meta.url).pathname;

interface LintReport {
  readonly totals: { errors: number; warnings: number };
  readonly problems: { ruleId: string; message: string; location: { pointer: string }[] }[];
}

async function redoclyLint(file: string): Promise<LintReport> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", redoclyCli, "lint", file, "--format=json", "--config", redoclyConfig],
    env: { REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(output.stdout);
  try {
    return JSON.parse(stdout);
  } catch {
    const stderr = new TextDecoder().decode(output.stderr);
    console.error(`Redocly CLI (${redoclyCli}) could not be run: exit ${output.code}\n${stderr}`);
    throw new Error(`Redocly CLI gave no JSON report: ${stdout.slice(0, 500)}`);
  }
}

Deno.test("redocly lint reports no error and no warning on the OpenAPI document", async () => {
  const file = await Deno.makeTempFile({ prefix: "openapi_", suffix: ".json" });
  try {
    await Deno.writeTextFile(file, JSON.stringify(buildOpenApiDocument(), null, 2));
    const report = await redoclyLint(file);
    const problems = report.problems.map((p) =>
      `${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(report.totals, { ...report.totals, errors: 0, warnings: 0 });
  } finally {
    await Deno.remove(file);
  }
});
