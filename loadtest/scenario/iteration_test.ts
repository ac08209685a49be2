import assert from "node:assert/strict";
import type { LoadAnswer, LoadHttpClient, LoadRequest } from "../http/client.ts";
import { Recorder } from "../metrics/recorder.ts";
import type { CompletionTracker } from "./completion_tracker.ts";
import { acknowledged, type PaymentExpectation, uncertain } from "./expectation.ts";
import { runIteration, type ScenarioDeps } from "./iteration.ts";

const authorized: LoadAnswer = {
  kind: "response",
  status: 201,
  body: JSON.stringify({ paymentId: "pay_1", status: "AUTHORIZED" }),
};

function problem(status: number, code: string): LoadAnswer {
  return { kind: "response", status, body: JSON.stringify({ status, code }) };
}

/** A client answering each path from a script; a missing answer never comes (`onHang` is told). */
function scriptedClient(answers: Record<string, LoadAnswer>, onHang: () => void): LoadHttpClient {
  return {
    send: (request: LoadRequest) => {
      const kind = request.path.split("/")[3]!;
      const answer = answers[kind];
      if (answer) return Promise.resolve(answer);
      onHang();
      return new Promise<LoadAnswer>(() => {});
    },
    close: () => {},
  };
}

/** Every accepted capture (refund) completes at once. */
const settledTracker: CompletionTracker = {
  wait: (_id, kind) =>
    Promise.resolve({
      kind: "done",
      status: kind === "capture" ? "CAPTURED" : "REFUNDED",
      latencyMs: 5,
    }),
  pending: () => 0,
  stop: () => {},
};

async function flow(
  answers: Record<string, LoadAnswer>,
  refund = false,
): Promise<PaymentExpectation | undefined> {
  const expected = new Map<string, PaymentExpectation>();
  const recorder = new Recorder([{ name: "s", durationMs: 1_000 }]);
  const hung = Promise.withResolvers<void>();
  const deps: ScenarioDeps = {
    options: { scenario: "flow", refund, refundRatio: 1, currency: "KRW" },
    client: scriptedClient({ authorize: authorized, ...answers }, hung.resolve),
    auth: { kind: "bearer" },
    merchants: [{ merchantId: "LT_x_1", apiKey: "pk_test_k_s" }],
    recorder,
    tracker: settledTracker,
    runId: "r",
    expected,
    random: () => 0,
  };
  // An iteration whose request never returns is judged as the run's end would find it.
  await Promise.race([runIteration(deps, 0, 0), hung.promise]);
  recorder.close();
  return expected.get("pay_1");
}

Deno.test("a capture without a clear answer leaves its payment uncertain, not expected AUTHORIZED", async () => {
  const captureUncertain = uncertain("capture", "AUTHORIZED", "CAPTURED");
  for (
    const answer of [
      { kind: "error", code: "timeout" } as const,
      { kind: "error", code: "ECONNRESET" } as const,
      problem(503, "service_unavailable"),
      problem(504, "upstream_timeout"),
      problem(409, "idempotency_key_in_use"),
    ]
  ) {
    assert.deepEqual(await flow({ capture: answer }), captureUncertain, JSON.stringify(answer));
  }
});

Deno.test("a capture still in flight when the run ends is uncertain", async () => {
  assert.deepEqual(await flow({}), uncertain("capture", "AUTHORIZED", "CAPTURED"));
});

Deno.test("a clearly refused capture must leave the payment AUTHORIZED; an accepted one CAPTURED", async () => {
  assert.deepEqual(
    await flow({ capture: problem(429, "rate_limited") }),
    acknowledged("AUTHORIZED"),
  );
  assert.deepEqual(
    await flow({ capture: problem(409, "invalid_state") }),
    acknowledged("AUTHORIZED"),
  );
  const accepted: LoadAnswer = { kind: "response", status: 202, body: "{}" };
  assert.deepEqual(await flow({ capture: accepted }), acknowledged("CAPTURED"));
});

Deno.test("a refund without a clear answer is uncertain between CAPTURED and REFUNDED", async () => {
  const accepted: LoadAnswer = { kind: "response", status: 202, body: "{}" };
  assert.deepEqual(
    await flow({ capture: accepted, refund: { kind: "error", code: "timeout" } }, true),
    uncertain("refund", "CAPTURED", "REFUNDED"),
  );
  assert.deepEqual(
    await flow({ capture: accepted, refund: accepted }, true),
    acknowledged("REFUNDED"),
  );
});
