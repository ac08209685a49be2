import assert from "node:assert/strict";
import { describeVars, withVarsTable } from "./describe.ts";

Deno.test("the README documents every configuration variable, with the generated table current", async () => {
  const readme = await Deno.readTextFile(new URL("../../README.md", import.meta.url));
  const missing = describeVars().filter((v) => !readme.includes(`\`${v.name}\``)).map((v) =>
    v.name
  );
  assert.deepEqual(missing, [], "run `deno task docs:env` to regenerate the README table");
  assert.equal(
    withVarsTable(readme),
    readme,
    "the README table is stale: run `deno task docs:env`",
  );
});

Deno.test("every configuration variable has a description", () => {
  const bare = describeVars().filter((v) => v.description.trim() === "").map((v) => v.name);
  assert.deepEqual(bare, []);
});
