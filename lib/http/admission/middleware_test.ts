import assert from "node:assert/strict";
import { Hono } from "hono";
import { AdmissionController } from "./controller.ts";
import { fixedAdmission } from "./testing.ts";
import { admissionMiddleware } from "./middleware.ts";

/** An app whose /api/work requests wait until `open()`: they hold their slots. */
function gatedApp(admission: AdmissionController) {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => open = resolve);
  let handled = 0;
  const app = new Hono();
  app.use("*", admissionMiddleware(admission));
  for (const path of ["/health", "/ready", "/metrics"]) app.get(path, (c) => c.text("up"));
  app.post("/api/work", async (c) => {
    handled++;
    await gate;
    return c.json({ done: true });
  });
  return { app, open, handled: () => handled };
}

Deno.test("requests beyond the limit get 503 overloaded with Retry-After, and never reach the handler", async () => {
  const admission = new AdmissionController(fixedAdmission(3, 0));
  const { app, open, handled } = gatedApp(admission);
  const answers = Array.from({ length: 20 }, () => app.request("/api/work", { method: "POST" }));
  const shed = (await Promise.all(answers.slice(3))) as Response[];
  for (const res of shed) {
    assert.equal(res.status, 503);
    assert.equal(res.headers.get("retry-after"), "1");
    assert.equal(res.headers.get("content-type"), "application/problem+json");
    assert.equal((await res.json()).code, "overloaded");
  }
  assert.equal(handled(), 3);
  assert.equal(admission.shed, 17);
  open();
  for (const res of (await Promise.all(answers.slice(0, 3))) as Response[]) {
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { done: true });
  }
  assert.equal(admission.inFlight, 0);
});

Deno.test("/health, /ready and /metrics are never shed", async () => {
  const admission = new AdmissionController(fixedAdmission(1, 0));
  const { app, open } = gatedApp(admission);
  const held = app.request("/api/work", { method: "POST" });
  assert.equal((await app.request("/api/work", { method: "POST" })).status, 503);
  for (const path of ["/health", "/ready", "/metrics"]) {
    const res = await app.request(path);
    assert.equal(res.status, 200, path);
    assert.equal(await res.text(), "up");
  }
  open();
  assert.equal((await held).status, 200);
});
