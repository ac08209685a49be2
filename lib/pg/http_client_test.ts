/** The HTTP client's transport edge cases, against a raw TCP peer. (pgsim/http_client_test.ts runs it against pgsim.) */
import assert from "node:assert/strict";
import { createHttpPgClient } from "./http_client.ts";

const approved = JSON.stringify({ id: "auth_1", status: "APPROVED" });
const response = `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n` +
  `content-length: ${approved.length}\r\nconnection: keep-alive\r\n\r\n${approved}`;

/** Reads one HTTP request (headers and content-length body); false when the peer closed. */
async function readRequest(conn: Deno.Conn): Promise<boolean> {
  const decoder = new TextDecoder();
  const buffer = new Uint8Array(4096);
  let text = "";
  while (true) {
    const headerEnd = text.indexOf("\r\n\r\n");
    if (headerEnd >= 0) {
      const length = Number(/content-length: (\d+)/i.exec(text)?.[1] ?? 0);
      if (text.length >= headerEnd + 4 + length) return true;
    }
    const n = await conn.read(buffer);
    if (n === null) return false;
    text += decoder.decode(buffer.subarray(0, n));
  }
}

/**
 * A peer that answers the first request of each connection and closes the
 * connection without answering a second one: what a PG does when it drops an
 * idle kept-alive socket just as the client reuses it.
 */
function startFlakyPeer() {
  const listener = Deno.listen({ port: 0, hostname: "127.0.0.1" });
  const requestsPerConnection: number[] = [];
  const serving = (async () => {
    for await (const conn of listener) {
      const index = requestsPerConnection.push(0) - 1;
      (async () => {
        try {
          if (await readRequest(conn)) {
            requestsPerConnection[index]!++;
            await conn.write(new TextEncoder().encode(response));
          }
          if (await readRequest(conn)) requestsPerConnection[index]!++;
        } finally {
          conn.close();
        }
      })();
    }
  })();
  return {
    port: (listener.addr as Deno.NetAddr).port,
    requestsPerConnection,
    async stop() {
      listener.close();
      await serving.catch(() => {});
    },
  };
}

// Deno's node:http resends a request whose kept-alive connection closed before
// answering (its hyper pool does), so the client needs no retry of its own;
// this test pins that down.
Deno.test("a kept-alive socket the PG drops on reuse costs no failed call", async () => {
  const peer = startFlakyPeer();
  const client = createHttpPgClient({
    baseUrl: `http://127.0.0.1:${peer.port}`,
    timeoutMs: 2_000,
  });
  const request = {
    idempotencyKey: "k",
    merchantId: "M123",
    amount: 100,
    currency: "KRW",
    paymentMethod: "tok_visa",
    reference: "pay_1",
  };
  try {
    assert.equal((await client.authorize(request)).outcome, "approved");
    assert.equal((await client.authorize(request)).outcome, "approved");
    assert.deepEqual(peer.requestsPerConnection, [2, 1]);
  } finally {
    client.close();
    await peer.stop();
  }
});
