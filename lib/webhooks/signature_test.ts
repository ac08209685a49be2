import assert from "node:assert/strict";
import { Webhook } from "standardwebhooks";
import { newWebhookSecret } from "../domain/mod.ts";
import { signWebhook } from "./signature.ts";

const body = JSON.stringify({ id: "evt_1", type: "payment.captured", data: {} });

Deno.test("a signature verifies with the standardwebhooks reference library", () => {
  const secret = newWebhookSecret();
  assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
  const headers = signWebhook([secret], "evt_1", new Date(), body);
  assert.deepEqual(new Webhook(secret).verify(body, { ...headers }), JSON.parse(body));
  assert.throws(() => new Webhook(newWebhookSecret()).verify(body, { ...headers }));
  assert.throws(() => new Webhook(secret).verify(body + " ", { ...headers }));
});

Deno.test("during a rotation both the new and the previous secret verify", () => {
  const [current, previous] = [newWebhookSecret(), newWebhookSecret()];
  const headers = signWebhook([current, previous], "evt_2", new Date(), body);
  assert.equal(headers["webhook-signature"].split(" ").length, 2);
  for (const secret of [current, previous]) {
    assert.deepEqual(new Webhook(secret).verify(body, { ...headers }), JSON.parse(body));
  }
});
