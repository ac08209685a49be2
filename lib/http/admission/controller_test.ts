import assert from "node:assert/strict";
import { AdmissionController, type ShedReason } from "./controller.ts";
import { fixedAdmission } from "./testing.ts";

Deno.test("admits up to the limit, queues up to the queue's size and sheds the rest at once", async () => {
  const reasons: ShedReason[] = [];
  const admission = new AdmissionController(fixedAdmission(2, 1), {
    onShed: (reason) => reasons.push(reason),
  });
  const first = admission.admit();
  const second = admission.admit();
  const queued = admission.admit();
  const shed = admission.admit();
  assert.ok(first && !(first instanceof Promise));
  assert.ok(second && !(second instanceof Promise));
  assert.ok(queued instanceof Promise);
  assert.equal(shed, null);
  assert.deepEqual([admission.inFlight, admission.queued, admission.shed], [2, 1, 1]);
  assert.deepEqual(reasons, ["queue_full"]);

  admission.release(first, "ok");
  const ticket = await queued;
  assert.ok(ticket !== null, "the queued request takes the freed slot");
  assert.deepEqual([admission.inFlight, admission.queued], [2, 0]);
  admission.release(second, "ignored");
  admission.release(ticket, "ok");
  assert.equal(admission.inFlight, 0);
});

Deno.test("a queued request waits at most the longest wait, then is shed", async () => {
  const reasons: ShedReason[] = [];
  const admission = new AdmissionController(fixedAdmission(1, 4, 1), {
    onShed: (reason) => reasons.push(reason),
  });
  const held = admission.admit();
  assert.equal(await admission.admit(), null);
  assert.deepEqual(reasons, ["queue_timeout"]);
  assert.deepEqual([admission.inFlight, admission.queued, admission.shed], [1, 0, 1]);
  admission.release(held as Exclude<typeof held, null | Promise<unknown>>, "ok");
});

Deno.test("without a queue the request beyond the limit is shed at once", () => {
  const admission = new AdmissionController(fixedAdmission(1, 0));
  const held = admission.admit();
  assert.equal(admission.admit(), null);
  admission.release(held as Exclude<typeof held, null | Promise<unknown>>, "ok");
});
