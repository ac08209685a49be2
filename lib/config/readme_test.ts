import assert from "node:assert/strict";
import { describeVars, withVarsTable } from "./describe.ts";

Deno.test("the README documents every configuration variable, with the generated table current", async () => {
  const readme = await Deno.readTextFile(new URL("../../README.md", import.meta.url));
  const missing = describeVars().filter((v) => !readme.includes(`\`${v.name}\``)).map((v) =>
    v.name
  );
  assert.deepEqual(missing, [], "run `deno task docs:env` to regenerate the README table");
  // deno fmt pads table columns, so compare with runs of spaces and dashes collapsed.
  const squeeze = (text: string) => text.replace(/[ -]{2,}/g, " ");
  assert.equal(
    squeeze(withVarsTable(readme)),
    squeeze(readme),
    "the README table is stale: run `deno task docs:env`",
  );
});

Deno.test("every configuration variable has a description", () => {
  const bare = describeVars().filter((v) => v.description.trim() === "").map((v) => v.name);
  assert.deepEqual(bare, []);
});

Deno.test("the README names every root task", async () => {
  const readme = await Deno.readTextFile(new URL("../../README.md", import.meta.url));
  const { tasks } = JSON.parse(
    await Deno.readTextFile(new URL("../../deno.json", import.meta.url)),
  );
  const missing = Object.keys(tasks as Record<string, string>).filter((name) =>
    !readme.includes(`deno task ${name}`) && !readme.includes(`\`${name}\``)
  );
  assert.deepEqual(missing, []);
});
