import { fetchBlockedPorts } from "@pay/lib/http";
import { platformServices, shiftedPorts } from "./services.ts";

/**
 * Why `--port-offset offset` cannot work, or undefined when it can: every
 * service whose moved port `fetch()` would refuse is named.
 */
export function blockedPortProblem(offset: number): string | undefined {
  const blocked = platformServices(shiftedPorts(offset))
    .filter((spec) => fetchBlockedPorts.has(spec.port))
    .map((spec) => `${spec.name} on port ${spec.port}`);
  if (blocked.length === 0) return undefined;
  return `--port-offset puts ${blocked.join(", ")}, a port fetch() refuses to connect to ` +
    `(the WHATWG bad ports): choose another offset than ${offset}`;
}
