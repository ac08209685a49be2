/** The API key store on MariaDB down: what mysql2 says goes to the log, never to the client. */
// test-needs: mariadb
import assert from "node:assert/strict";
import { processEnv, readDbConfig } from "@pay/lib/config";
import { createPool } from "@pay/lib/db";
import { freePort } from "@pay/lib/testing";
import { authHeaders, startTestGateway, testSecret } from "./testing/harness.ts";
import { serveStubUpstream } from "./testing/stub_upstream.ts";
import { assertUnavailable } from "./testing/unavailable.ts";

Deno.test("the API key store down is 503 with Retry-After; the driver text goes only to the log", async () => {
  const upstream = serveStubUpstream({ secret: testSecret });
  const gw = await startTestGateway("fault_keystore", {
    upstreams: { kind: "static", urls: [upstream.url] },
    apiKeyCacheTtlMs: 0,
  });
  const mariadb = readDbConfig(processEnv());
  const wrongPassword = createPool({ ...mariadb, password: "not-the-password" });
  const refused = createPool({ ...mariadb, port: freePort(), socketPath: undefined });
  try {
    for (const [name, db] of [["wrong password", wrongPassword], ["refused", refused]] as const) {
      const broken = await startTestGateway(`fault_keystore_${name.replace(" ", "_")}`, {
        upstreams: { kind: "static", urls: [upstream.url] },
        apiKeyCacheTtlMs: 0,
      }, { db });
      try {
        const res = await broken.request("/api/payments", {
          headers: authHeaders(gw.keys.M1, { "x-request-id": `req-${name.replace(" ", "-")}` }),
        });
        await assertUnavailable(res, "service_unavailable");
        const logged = broken.logs.join("\n");
        assert.match(logged, new RegExp(`req-${name.replace(" ", "-")}`), name);
        assert.match(logged, name === "refused" ? /ECONNREFUSED/ : /Access denied/, name);
      } finally {
        await broken.close();
      }
    }
    assert.equal(upstream.received.length, 0);
  } finally {
    await wrongPassword.close();
    await refused.close();
    await gw.close();
    await upstream.close();
  }
});
