import assert from "node:assert/strict";
import { loadCommand } from "./command.ts";

async function run(args: string[], env: Record<string, string> = {}) {
  const lines: string[] = [];
  const code = await loadCommand(args, env, (line) => lines.push(line));
  return { code, output: lines.join("\n") };
}

Deno.test("a target off this machine is refused with exit 2 before anything is sent or opened", async () => {
  for (const target of ["http://10.1.2.3:8080", "http://example.com", "https://127.0.0.1"]) {
    const { code, output } = await run(["--target", target]);
    assert.equal(code, 2, target);
    assert.match(output, /^Target must be/, target);
    assert.match(output, /Usage: deno task load/);
  }
  const fromEnv = await run([], { LOAD_TARGET_URL: "http://192.168.0.10:8080" });
  assert.equal(fromEnv.code, 2);
  assert.match(fromEnv.output, /must be on this machine .*: 192\.168\.0\.10/);
});

Deno.test("bad flags and bad environment values exit 2 naming the culprit; --help exits 0", async () => {
  assert.deepEqual((await run(["--rate", "fast"])).code, 2);
  assert.match((await run(["--rate", "fast"])).output, /Expected --rate between 0 and/);
  const badEnv = await run([], { ENABLE_CAPTURE: "maybe" });
  assert.equal(badEnv.code, 2);
  assert.match(badEnv.output, /ENABLE_CAPTURE/);
  const help = await run(["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.output, /--max-in-flight N/);
});

Deno.test("a missing stages file exits 2 with its path", async () => {
  const { code, output } = await run(["--stages-file", "/nonexistent/plan.json"]);
  assert.equal(code, 2);
  assert.match(output, /plan\.json/);
});

Deno.test("a target where nothing listens stops the command before merchants are made or load is sent", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const target = `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`;
  listener.close();
  const { code, output } = await run(["--target", target, "--profile", "smoke"]);
  assert.equal(code, 2);
  assert.match(output, /^Nothing answers at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
  assert.match(output, /Nothing was sent\.$/);
  assert.doesNotMatch(output, /Load run|Retired/);
});
