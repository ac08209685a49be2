import {
  type Nginx,
  nginxInstalled,
  proxyServerBlock,
  startNginx as startNginxWith,
  waitForPort,
} from "@pay/lib/testing";

export { type Nginx, nginxInstalled, waitForPort };

/** Kept-alive connections from nginx to the upstream: matches the load's concurrency. */
const nginxUpstreamKeepalive = 64;

/** nginx as a plain reverse proxy in front of one upstream, the gateway's comparison point. */
export function startNginx(port: number, upstreamUrl: string): Promise<Nginx> {
  return startNginxWith(port, proxyServerBlock(port, [upstreamUrl], nginxUpstreamKeepalive));
}
