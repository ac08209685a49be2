import assert from "node:assert/strict";
import { startTestPlatform } from "../../ops/supervisor/testing.ts";

/**
 * The shop's browser journey against the real platform: the supervisor
 * (`deno task start`) runs pgsim, two ingest instances, the gateway, the
 * workers and the store process; the browser test drives that store, so
 * checkout goes through the real gateway, capture is settled by the real
 * settlement worker, and the timeline comes from the real event flow.
 */
Deno.test("the shop works end to end on the real platform: pay, CAPTURED, partial refund, decline, double submit", async () => {
  const platform = await startTestPlatform("store_platform");
  try {
    const run = await new Deno.Command(Deno.execPath(), {
      args: ["test", "--allow-all", "store/browser/shop_browser_test.ts"],
      cwd: new URL("../../", import.meta.url).pathname,
      env: {
        STORE_E2E_URL: `http://127.0.0.1:${platform.ports.store}`,
        STORE_SCREENSHOT_DIR:
          new URL("../../test-output/store-platform/", import.meta.url).pathname,
        NO_COLOR: "1",
      },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const output = new TextDecoder().decode(run.stdout) + new TextDecoder().decode(run.stderr);
    assert.equal(run.code, 0, output.slice(-6000));
    assert.match(output, /ok \| 1 passed \(\d+ steps\) \| 0 failed/);
  } finally {
    await platform.stop();
  }
});
