import ipaddr from "ipaddr.js";
import { ValidationError } from "../domain/mod.ts";

/**
 * Where a webhook may be sent (SSRF guard, DESIGN §11). A URL is checked when
 * an endpoint is registered (shape, and a literal address) and again before
 * every attempt on the addresses its host resolves to then. The attempt then
 * connects to the address checked, never resolving the name again, so a name
 * that rebinds to an internal address between check and connection (DNS
 * rebinding) cannot redirect it.
 */

/** The longest URL an endpoint may have (the bound; the column's width). */
export const webhookUrlCharsMax = 2_048;

/** Resolves a host name to the addresses a connection would use. */
export type HostResolver = (hostname: string) => Promise<string[]>;

/** Whether `address` is a public unicast address (IPv4-mapped IPv6 judged as its IPv4). */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  // Only "unicast" is public: loopback, private, linkLocal (169.254.169.254, the cloud
  // metadata address), uniqueLocal, carrierGradeNat, 6to4/teredo tunnels and the rest are not.
  return ipaddr.process(address).range() === "unicast";
}

/** The host of a URL without IPv6 brackets. */
function bareHost(url: URL): string {
  return url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
}

/**
 * Checks an endpoint URL as registered: http(s), no credentials, at most
 * `webhookUrlCharsMax` characters, and, when the host is a literal address, a
 * public one unless private URLs are allowed. Returns the URL normalised;
 * throws ValidationError (400) otherwise.
 */
export function checkWebhookUrl(raw: string, allowPrivate: boolean): string {
  if (raw.length > webhookUrlCharsMax) {
    throw new ValidationError(`url: is longer than ${webhookUrlCharsMax} characters`, "url");
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ValidationError(`url: is not a URL: ${raw.slice(0, 100)}`, "url");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ValidationError(`url: must be http or https: ${url.protocol}`, "url");
  }
  if (url.username !== "" || url.password !== "") {
    throw new ValidationError("url: must not carry credentials", "url");
  }
  const host = bareHost(url);
  if (!allowPrivate && (ipaddr.isValid(host) || host === "localhost") && !isPublicAddress(host)) {
    throw new ValidationError(`url: is not a public address: ${host}`, "url");
  }
  if (url.href.length > webhookUrlCharsMax) {
    throw new ValidationError(`url: is longer than ${webhookUrlCharsMax} characters`, "url");
  }
  return url.href;
}

/** A destination refused at send time: the attempt fails without a request. */
export class DestinationRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DestinationRefusedError";
  }
}

/** Where one attempt connects: the URL's host pinned to one checked address. */
export interface PinnedDestination {
  readonly url: URL;
  /** The URL's host without IPv6 brackets: the name TLS verifies, or a literal address. */
  readonly hostname: string;
  /** The address the connection goes to, and only to. */
  readonly address: string;
}

/**
 * Resolves the URL's host (a literal address is taken as is) and pins the
 * first address. Refuses it unless every address is public, or private URLs
 * are allowed; a name that does not resolve is refused either way.
 */
export async function checkDestination(
  rawUrl: string,
  resolve: HostResolver,
  allowPrivate: boolean,
): Promise<PinnedDestination> {
  const url = new URL(rawUrl);
  const hostname = bareHost(url);
  const addresses = ipaddr.isValid(hostname) ? [hostname] : await resolve(hostname);
  if (addresses.length === 0) {
    throw new DestinationRefusedError(`Host did not resolve: ${hostname}`);
  }
  const refused = addresses.find((a) => !isAllowedAddress(a, allowPrivate));
  if (refused !== undefined) {
    throw new DestinationRefusedError(
      `Host resolves to a non-public address: ${hostname} ${refused}`,
    );
  }
  // Canonical form, so the connection never mistakes it for a name to resolve.
  return { url, hostname, address: ipaddr.process(addresses[0]!).toString() };
}

/** Any address when private URLs are allowed, else a public one; never a name. */
function isAllowedAddress(address: string, allowPrivate: boolean): boolean {
  return allowPrivate ? ipaddr.isValid(address) : isPublicAddress(address);
}

/** Resolves A and AAAA records with Deno's resolver (which reads /etc/hosts first). */
export const resolveHost: HostResolver = async (hostname) => {
  const lookups = await Promise.allSettled([
    Deno.resolveDns(hostname, "A"),
    Deno.resolveDns(hostname, "AAAA"),
  ]);
  return lookups.flatMap((l) => l.status === "fulfilled" ? l.value : []);
};
