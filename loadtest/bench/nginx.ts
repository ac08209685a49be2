import { type Nginx, nginxInstalled, proxyServerBlock, startNginx } from "@pay/lib/testing";

export { type Nginx, nginxInstalled };

/** Kept-alive connections per upstream: above the capacity runs' in-flight count. */
const upstreamKeepalive = 128;

/**
 * nginx spreading requests over `upstreamUrls` by least connections (the
 * gateway balances by least in flight), with keep-alive upstream
 * connections. Requests pass through unchanged, so the generator's signed
 * requests reach ingest valid.
 */
export function startNginxBalancer(port: number, upstreamUrls: readonly string[]): Promise<Nginx> {
  return startNginx(port, proxyServerBlock(port, upstreamUrls, upstreamKeepalive));
}

/**
 * nginx answering every request at once with a fixed authorized payment:
 * load against it costs the system nothing, so what it shows is the
 * generator's own cost and latency floor.
 */
export function startNginxStub(port: number): Promise<Nginx> {
  const answer = JSON.stringify({ paymentId: "pay_stub", status: "AUTHORIZED" });
  return startNginx(
    port,
    `server {
    listen 127.0.0.1:${port};
    keepalive_requests 1000000;
    location / { default_type application/json; return 201 '${answer}'; }
  }`,
  );
}
