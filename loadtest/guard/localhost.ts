/**
 * The generator sends load only to this machine: loopback addresses
 * (127.0.0.0/8, ::1) and `localhost`. Anything else, including private
 * ranges and names that may resolve elsewhere, is refused before a single
 * request is sent, so a typo can never aim a load test at someone's server.
 */
export function loopbackTargetError(target: string): string | undefined {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return `Target is not a URL: ${target}`;
  }
  if (url.protocol !== "http:") {
    return `Target must be http:// (plain HTTP on this machine): ${target}`;
  }
  if (url.username || url.password) {
    return `Target must not carry credentials: ${target}`;
  }
  if (!isLoopbackHost(url.hostname)) {
    return `Target must be on this machine (127.0.0.1, localhost or [::1]): ${url.hostname}`;
  }
  return undefined;
}

/** Throws with the reason when `target` is not a loopback http:// URL. */
export function assertLoopbackTarget(target: string): void {
  const error = loopbackTargetError(target);
  if (error) throw new Error(error);
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === "localhost" || host === "[::1]" || host === "::1") return true;
  const octets = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!octets) return false;
  const values = octets.slice(1).map(Number);
  return values.every((v) => v <= 255) && values[0] === 127;
}
