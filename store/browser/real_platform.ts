import assert from "node:assert/strict";
import type { Profile } from "@pay/lib/config";
import { repoRoot, startTestPlatform } from "../../ops/supervisor/testing.ts";

/**
 * The shop's browser journey (shop_browser_test.ts) against the real
 * platform of `profile`: the supervisor (`deno task start`) runs pgsim, two
 * ingest instances, the gateway, the workers and the store process; the
 * browser test drives that store, so checkout goes through the real gateway,
 * capture is settled by the real settlement worker, and the timeline comes
 * from the real event flow. Screenshots go to test-output/<screenshots>/.
 */
export async function shopJourneyOnPlatform(
  name: string,
  profile: Profile,
  screenshots: string,
): Promise<void> {
  const platform = await startTestPlatform(name, { profile });
  try {
    const run = await new Deno.Command(Deno.execPath(), {
      args: ["test", "--allow-all", "store/browser/shop_browser_test.ts"],
      cwd: repoRoot,
      env: {
        STORE_E2E_URL: `http://127.0.0.1:${platform.ports.store}`,
        STORE_SCREENSHOT_DIR: `${repoRoot}test-output/${screenshots}/`,
        NO_COLOR: "1",
      },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const output = new TextDecoder().decode(run.stdout) + new TextDecoder().decode(run.stderr);
    assert.equal(run.code, 0, output.slice(-6000));
    assert.match(output, /ok \| 1 passed \(\d+ steps\) \| 0 failed/);
    assert.match(platform.output(), new RegExp(`\\[supervisor\\] profile ${profile}, `));
  } finally {
    await platform.stop();
  }
}
