/**
 * The settlement handler through a MariaDB outage: the pool answers with
 * mysql2's real errors for an unreachable server (withOutage), so MariaDB only.
 */
// test-needs: mariadb
import assert from "node:assert/strict";
import { isTransientFailure } from "@pay/lib/resilience";
import { freshMariaDatabase, withOutage } from "@pay/lib/testing";
import { settlementHandler } from "./consumer.ts";
import { silentWorkerLog } from "./log.ts";
import { createSettler } from "./settler.ts";
import { authorizedPayment, cancelPayment, paymentOf, requestCapture } from "./testing/fixtures.ts";
import { settlementHarness } from "./testing/harness.ts";

Deno.test("MariaDB down under the settlement handler is a transient failure; the retry settles once", async () => {
  const db = await freshMariaDatabase("st_db_outage");
  const h = await settlementHarness("st_db_outage", {}, { db });
  const outage = withOutage(db.pool, db.config);
  try {
    const settler = createSettler({
      pool: outage.pool,
      pg: h.pg,
      publish: () => Promise.resolve(),
      config: h.config,
      registry: h.registry,
      log: silentWorkerLog,
    });
    const handler = settlementHandler({ pool: outage.pool, settler });
    const captured = await authorizedPayment(h.db.pool, h.fakePg);
    const { message: capture } = await requestCapture(h.db.pool, captured);
    const cancelled = await authorizedPayment(h.db.pool, h.fakePg);
    const cancel = await cancelPayment(h.db.pool, cancelled.id);
    outage.setDown(true);
    for (const message of [capture, cancel]) {
      const error = await handler(message).then(() => null, (e: unknown) => e);
      assert.ok(isTransientFailure(error), `${message.topic}: ${error}`);
    }
    outage.setDown(false);
    await handler(capture);
    await handler(cancel);
    assert.equal((await paymentOf(h.db.pool, captured.id)).status, "CAPTURED");
    const calls = h.fakePg.operations().filter((o) => o.type === "capture" || o.type === "cancel");
    assert.equal(calls.length, 2);
  } finally {
    await outage.close();
    await h.close();
  }
});
