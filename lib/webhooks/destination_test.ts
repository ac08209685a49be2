import assert from "node:assert/strict";
import { ValidationError } from "../domain/mod.ts";
import {
  checkDestination,
  checkWebhookUrl,
  DestinationRefusedError,
  type HostResolver,
  isPublicAddress,
} from "./destination.ts";

const resolverOf = (table: Record<string, string[]>): HostResolver => (host) =>
  Promise.resolve(table[host] ?? []);

Deno.test("only public unicast addresses are public", () => {
  for (const address of ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"]) {
    assert.equal(isPublicAddress(address), true, address);
  }
  const internal = [
    "127.0.0.1",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "::1",
    "::",
    "fc00::1",
    "fe80::1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "not-an-address",
  ];
  for (const address of internal) assert.equal(isPublicAddress(address), false, address);
});

Deno.test("registration refuses literal internal addresses unless private URLs are allowed", () => {
  for (
    const url of [
      "http://127.0.0.1:8080/hook",
      "http://10.0.0.7/hook",
      "http://169.254.169.254/latest/meta-data",
      "http://[::1]:9000/hook",
      "http://localhost:3000/hook",
    ]
  ) {
    assert.throws(() => checkWebhookUrl(url, false), ValidationError, url);
    assert.equal(checkWebhookUrl(url, true), new URL(url).href);
  }
  assert.equal(checkWebhookUrl("https://example.com/hook", false), "https://example.com/hook");
});

Deno.test("registration refuses other schemes, credentials and overlong URLs", () => {
  const bad = [
    "ftp://example.com/hook",
    "file:///etc/passwd",
    "javascript:alert(1)",
    "https://user:pass@example.com/hook",
    "https://token@example.com/hook",
    "not a url",
    "https://example.com/" + "a".repeat(2_048),
  ];
  for (const url of bad) assert.throws(() => checkWebhookUrl(url, true), ValidationError, url);
});

Deno.test("send-time check refuses a name resolving to an internal address", async () => {
  const resolve = resolverOf({
    "loopback.example": ["127.0.0.1"],
    "private.example": ["93.184.216.34", "10.0.0.5"],
    "metadata.example": ["169.254.169.254"],
    "v6.example": ["::1"],
    "public.example": ["93.184.216.34", "2606:4700:4700::1111"],
  });
  for (const host of ["loopback", "private", "metadata", "v6", "nowhere"]) {
    await assert.rejects(
      checkDestination(`https://${host}.example/hook`, resolve, false),
      DestinationRefusedError,
      host,
    );
  }
  await assert.rejects(
    checkDestination("http://[::1]:8080/hook", resolve, false),
    DestinationRefusedError,
  );
});

Deno.test("send-time check pins the first address it checked", async () => {
  const resolve = resolverOf({
    "public.example": ["93.184.216.34", "2606:4700:4700::1111"],
    "loopback.example": ["127.0.0.1"],
    "mapped.example": ["::ffff:127.0.0.1"],
    "v6.example": ["0:0:0:0:0:0:0:1"],
    "named.example": ["internal.example"],
  });
  const pinned = await checkDestination("https://public.example:8443/hook", resolve, false);
  assert.deepEqual(
    { url: pinned.url.href, hostname: pinned.hostname, address: pinned.address },
    {
      url: "https://public.example:8443/hook",
      hostname: "public.example",
      address: "93.184.216.34",
    },
  );
  const literal = await checkDestination("http://[2606:4700:4700::1111]/hook", resolve, false);
  assert.equal(literal.hostname, "2606:4700:4700::1111");
  assert.equal(literal.address, "2606:4700:4700::1111");
  // Allowed for local development: still resolved and pinned, in canonical form.
  const pin = async (url: string) => (await checkDestination(url, resolve, true)).address;
  assert.equal(await pin("http://loopback.example/hook"), "127.0.0.1");
  assert.equal(await pin("http://mapped.example/hook"), "127.0.0.1");
  assert.equal(await pin("http://v6.example/hook"), "::1");
  // An answer that is no address would be resolved again at connection: refused.
  await assert.rejects(pin("http://named.example/hook"), DestinationRefusedError);
  await assert.rejects(pin("http://nowhere.example/hook"), DestinationRefusedError);
});
