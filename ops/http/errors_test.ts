import assert from "node:assert/strict";
import { problemOfError } from "./errors.ts";

Deno.test("an unreachable database is a 503 whose detail names no host; the log keeps it", () => {
  const logged: string[] = [];
  const driver = Object.assign(new Error("connect ECONNREFUSED 10.0.0.7:3306"), {
    code: "ECONNREFUSED",
  });
  const p = problemOfError(driver, (line) => logged.push(line));
  assert.equal(p.status, 503);
  assert.doesNotMatch(JSON.stringify(p), /10\.0\.0\.7|ECONNREFUSED/);
  assert.match(logged.join("\n"), /10\.0\.0\.7:3306/);
});
