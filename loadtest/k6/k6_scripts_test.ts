import assert from "node:assert/strict";

const dir = new URL("./", import.meta.url).pathname;
const scripts = ["lib.js", "payment-scenario.js", "peak-load.js", "full-flow.js"];

/** k6 is not installable here, so the scripts are checked as ES modules by Node's parser. */
async function nodeCheck(path: string): Promise<{ code: number; stderr: string }> {
  const child = new Deno.Command("node", {
    args: ["--input-type=module", "--check"],
    stdin: "piped",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(await Deno.readFile(path));
  await writer.close();
  const { code, stderr } = await child.output();
  return { code, stderr: new TextDecoder().decode(stderr) };
}

Deno.test("the k6 scripts are valid ES modules", async () => {
  for (const script of scripts) {
    const { code, stderr } = await nodeCheck(dir + script);
    assert.equal(code, 0, `${script}: ${stderr}`);
  }
});

Deno.test("the syntax check fails on a broken script, so the test above can fail", async () => {
  const path = await Deno.makeTempFile({ suffix: ".js" });
  try {
    await Deno.writeTextFile(path, 'import http from "k6/http";\nexport default function ( {\n');
    assert.notEqual((await nodeCheck(path)).code, 0);
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("the scripts keep the original shapes: ramping to 400/s and 200/s, 350 flows/s, with thresholds", async () => {
  const text = (name: string) => Deno.readTextFile(dir + name);
  const scenario = await text("payment-scenario.js");
  assert.match(scenario, /executor: "ramping-arrival-rate"/);
  assert.match(scenario, /\{ duration: "2m", target: 400 \}, \/\/ sustain/);
  assert.match(await text("peak-load.js"), /\{ duration: "3m", target: 200 \}/);
  assert.match(await text("full-flow.js"), /rate: 350,/);
  const lib = await text("lib.js");
  assert.match(lib, /http_req_failed: \["rate<0\.01"\]/);
  assert.match(lib, /http_req_duration: \["p\(95\)<500"\]/);
  assert.match(lib, /BASE_URL must be http:\/\/ on this machine/);
});
