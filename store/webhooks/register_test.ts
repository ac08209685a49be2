import assert from "node:assert/strict";
import { startFakeGateway } from "../testing/fake_gateway.ts";
import { testApiKey } from "../testing/harness.ts";
import { createMemoryState } from "../state/memory.ts";
import { registerWebhookEndpoint, webhookSecretKey } from "./register.ts";

const webhookUrl = "https://shop.example.com/webhooks/payments";

async function withGateway(
  run: (
    fake: ReturnType<typeof startFakeGateway>,
    register: (
      state: ReturnType<typeof createMemoryState>,
      operatorSecret?: string,
    ) => ReturnType<typeof registerWebhookEndpoint>,
  ) => Promise<void>,
): Promise<void> {
  const fake = startFakeGateway({ apiKey: testApiKey, settle: "manual" });
  try {
    await run(fake, (state, operatorSecret) =>
      registerWebhookEndpoint({
        gatewayUrl: fake.url,
        apiKey: testApiKey,
        webhookUrl,
        ...(operatorSecret ? { operatorSecret } : {}),
        state,
        timeoutMs: 5_000,
      }));
  } finally {
    await fake.close();
  }
}

Deno.test("registration creates the endpoint once and reuses it with its kept secret", async () => {
  await withGateway(async (fake, register) => {
    const state = createMemoryState(60_000);
    const first = await register(state);
    assert.equal(first.outcome, "created");
    assert.equal(first.secret, fake.webhookEndpoints.get(first.endpointId)?.secret);
    assert.equal(await state.readValue(webhookSecretKey(webhookUrl)), first.secret);
    const again = await register(state);
    assert.deepEqual(again, { ...first, outcome: "reused" });
    assert.equal(fake.webhookEndpoints.size, 1);
  });
});

Deno.test("registration reuses an endpoint the operator's secret belongs to without a new one", async () => {
  await withGateway(async (fake, register) => {
    const created = await register(createMemoryState(60_000));
    const operatorSecret = created.secret;
    const elsewhere = createMemoryState(60_000);
    const reused = await register(elsewhere, operatorSecret);
    assert.deepEqual(reused, {
      endpointId: created.endpointId,
      secret: operatorSecret,
      outcome: "reused",
    });
    assert.equal(fake.webhookEndpoints.size, 1);
    assert.equal(fake.webhookEndpoints.get(created.endpointId)?.secret, operatorSecret);
  });
});

Deno.test("an existing endpoint whose secret was lost is reused with a rotated secret", async () => {
  await withGateway(async (fake, register) => {
    const created = await register(createMemoryState(60_000));
    const fresh = createMemoryState(60_000);
    const reused = await register(fresh);
    assert.equal(reused.outcome, "reused");
    assert.equal(reused.endpointId, created.endpointId);
    assert.notEqual(reused.secret, created.secret);
    assert.equal(reused.secret, fake.webhookEndpoints.get(created.endpointId)?.secret);
    assert.equal(await fresh.readValue(webhookSecretKey(webhookUrl)), reused.secret);
    assert.equal(fake.webhookEndpoints.size, 1);
  });
});
