import assert from "node:assert/strict";
import { Webhook } from "standardwebhooks";
import { newEventId, newWebhookSecret } from "@pay/lib/domain";
import { checkDestination, type HostResolver } from "@pay/lib/webhooks";
import { postPinned, webhookResponseBytesMax } from "./pinned_post.ts";
import { type SendOptions, sendWebhook } from "./send.ts";
import { startReceiver } from "./testing.ts";
import { testCaPem, testCertPem, testKeyPem, testTlsName } from "./testing_tls.ts";

const tls = { cert: testCertPem, key: testKeyPem };

/**
 * Answers from `table` and counts the lookups. The names are under .invalid,
 * which no real resolver answers: a request that arrives went to the address
 * this stub gave the check, not to a second lookup.
 */
function stubResolver(table: Record<string, string[]>) {
  const lookups: string[] = [];
  const resolve: HostResolver = (host) => {
    lookups.push(host);
    return Promise.resolve(table[host] ?? []);
  };
  return { resolve, lookups };
}

function send(url: string, options: Partial<SendOptions> & Pick<SendOptions, "resolve">) {
  const secret = newWebhookSecret();
  const request = { url, eventId: newEventId(), payload: '{"type":"test"}', secrets: [secret] };
  return {
    secret,
    request,
    report: sendWebhook(request, { allowPrivate: true, ...options }),
  };
}

Deno.test("an http attempt connects to the checked address with the URL's host as Host", async () => {
  const receiver = startReceiver();
  const { resolve, lookups } = stubResolver({ [testTlsName]: ["127.0.0.1"] });
  try {
    const url = `http://${testTlsName}:${receiver.port}/hook?merchant=M1`;
    const { secret, request, report } = send(url, { resolve });
    assert.equal((await report).result, "delivered");
    assert.deepEqual(lookups, [testTlsName], "one lookup: the check's");
    const [received] = receiver.received;
    assert.equal(received!.path, "/hook?merchant=M1");
    assert.equal(received!.headers.host, `${testTlsName}:${receiver.port}`);
    assert.equal(received!.body, request.payload);
    new Webhook(secret).verify(received!.body, received!.headers);
  } finally {
    await receiver.close();
  }
});

Deno.test("an IPv6 address is pinned too, and a literal IPv6 host keeps its brackets", async () => {
  const receiver = startReceiver({ hostname: "::1" });
  const { resolve } = stubResolver({ [testTlsName]: ["::1"] });
  try {
    const byName = send(`http://${testTlsName}:${receiver.port}/hook`, { resolve });
    assert.equal((await byName.report).result, "delivered");
    const literal = send(receiver.url, { resolve });
    assert.equal((await literal.report).result, "delivered");
    assert.deepEqual(receiver.received.map((r) => r.headers.host), [
      `${testTlsName}:${receiver.port}`,
      `[::1]:${receiver.port}`,
    ]);
  } finally {
    await receiver.close();
  }
});

Deno.test("a name resolving to an internal address is refused before any connection", async () => {
  const receiver = startReceiver();
  const { resolve } = stubResolver({
    "loopback.invalid": ["127.0.0.1"],
    "private.invalid": ["10.0.0.5"],
    "metadata.invalid": ["169.254.169.254"],
    "v6-loopback.invalid": ["::1"],
    "mixed.invalid": ["93.184.216.34", "127.0.0.1"],
    "mapped.invalid": ["::ffff:127.0.0.1"],
  });
  try {
    for (
      const host of [
        "loopback",
        "private",
        "metadata",
        "v6-loopback",
        "mixed",
        "mapped",
        "nowhere",
      ]
    ) {
      const url = `http://${host}.invalid:${receiver.port}/hook`;
      const report = await send(url, { resolve, allowPrivate: false }).report;
      assert.equal(report.result, "refused", host);
      assert.equal(report.statusCode, null, host);
    }
    assert.equal(receiver.received.length, 0);
  } finally {
    await receiver.close();
  }
});

Deno.test("an https attempt to the pinned address verifies the certificate for the URL's name", async () => {
  const receiver = startReceiver({ tls });
  const { resolve } = stubResolver({
    [testTlsName]: ["127.0.0.1"],
    "other.invalid": ["127.0.0.1"],
  });
  try {
    const good = send(`https://${testTlsName}:${receiver.port}/hook`, {
      resolve,
      caCerts: [testCaPem],
    });
    assert.equal((await good.report).result, "delivered");
    assert.equal(receiver.received[0]!.headers.host, `${testTlsName}:${receiver.port}`);
    new Webhook(good.secret).verify(receiver.received[0]!.body, receiver.received[0]!.headers);

    const wrongName = await send(`https://other.invalid:${receiver.port}/hook`, {
      resolve,
      caCerts: [testCaPem],
    }).report;
    assert.equal(wrongName.result, "network_error");
    assert.match(wrongName.error ?? "", /other\.invalid/);

    const untrusted = await send(`https://${testTlsName}:${receiver.port}/hook`, { resolve })
      .report;
    assert.equal(untrusted.result, "network_error");
    assert.equal(receiver.received.length, 1, "no request without a verified certificate");
  } finally {
    await receiver.close();
  }
});

Deno.test("a redirect is not followed but fails the attempt", async () => {
  const receiver = startReceiver({
    answer: () => new Response(null, { status: 302, headers: { location: "/elsewhere" } }),
  });
  const { resolve } = stubResolver({});
  try {
    const report = await send(receiver.url, { resolve }).report;
    assert.equal(report.result, "http_error");
    assert.equal(report.statusCode, 302);
    assert.deepEqual(receiver.received.map((r) => r.path), ["/hook"]);
  } finally {
    await receiver.close();
  }
});

Deno.test("a response body is read up to its bound only", async () => {
  const bodyBytes = webhookResponseBytesMax * 16;
  const receiver = startReceiver({
    answer: () => new Response("x".repeat(bodyBytes), { status: 500 }),
  });
  try {
    const destination = await checkDestination(receiver.url, stubResolver({}).resolve, true);
    const response = await postPinned(destination, {
      headers: {},
      body: "{}",
      signal: new AbortController().signal,
    });
    assert.equal(response.statusCode, 500);
    assert.equal(response.body.length, webhookResponseBytesMax);
  } finally {
    await receiver.close();
  }
});

Deno.test("a receiver that never answers, or never ends its body, times the attempt out", async () => {
  const { promise: released, resolve: release } = Promise.withResolvers<void>();
  const stalledBody = () =>
    new Response(
      new ReadableStream({
        async start(controller) {
          controller.enqueue(new TextEncoder().encode("partial"));
          await released;
          controller.close();
        },
      }),
      { status: 200 },
    );
  const receiver = startReceiver({
    answer: (request) =>
      new URL(request.url).pathname === "/body"
        ? stalledBody()
        : released.then(() => new Response(null, { status: 204 })),
  });
  const { resolve } = stubResolver({});
  try {
    for (const path of ["/hook", "/body"]) {
      const url = new URL(path, receiver.url).href;
      const report = await send(url, { resolve, timeoutMs: 50 }).report;
      assert.equal(report.result, "timeout", path);
      assert.equal(report.statusCode, null, path);
    }
  } finally {
    release();
    await receiver.close();
  }
});
