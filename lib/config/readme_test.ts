import assert from "node:assert/strict";
import { configurationDocUrl, describeVars, withVarsTable } from "./describe.ts";

const repoFile = (path: string) => new URL(`../../${path}`, import.meta.url);

Deno.test("docs/configuration.md documents every configuration variable, with the generated table current", async () => {
  const page = await Deno.readTextFile(configurationDocUrl);
  const missing = describeVars().filter((v) => !page.includes(`\`${v.name}\``)).map((v) => v.name);
  assert.deepEqual(missing, [], "run `deno task docs:env` to regenerate the table");
  // deno fmt pads table columns, so compare with runs of spaces and dashes collapsed.
  const squeeze = (text: string) => text.replace(/[ -]{2,}/g, " ");
  assert.equal(
    squeeze(withVarsTable(page)),
    squeeze(page),
    "the table in docs/configuration.md is stale: run `deno task docs:env`",
  );
});

Deno.test("every configuration variable has a description", () => {
  const bare = describeVars().filter((v) => v.description.trim() === "").map((v) => v.name);
  assert.deepEqual(bare, []);
});

Deno.test("docs/tasks.md names every root task", async () => {
  const page = await Deno.readTextFile(repoFile("docs/tasks.md"));
  const { tasks } = JSON.parse(await Deno.readTextFile(repoFile("deno.json")));
  const missing = Object.keys(tasks as Record<string, string>).filter((name) =>
    !page.includes(`deno task ${name}`) && !page.includes(`\`${name}\``)
  );
  assert.deepEqual(missing, []);
});
