import { platformServices, shiftedPorts } from "./services.ts";

/**
 * The WHATWG Fetch standard's bad ports (https://fetch.spec.whatwg.org/#port-blocking):
 * `fetch()` refuses to connect to them, in browsers and in Deno alike, so a
 * service listening on one could never answer the supervisor's /health probe,
 * the gateway, the store or a browser.
 */
export const fetchBlockedPorts: ReadonlySet<number> = new Set([
  1,
  7,
  9,
  11,
  13,
  15,
  17,
  19,
  20,
  21,
  22,
  23,
  25,
  37,
  42,
  43,
  53,
  69,
  77,
  79,
  87,
  95,
  101,
  102,
  103,
  104,
  109,
  110,
  111,
  113,
  115,
  117,
  119,
  123,
  135,
  137,
  139,
  143,
  161,
  179,
  389,
  427,
  465,
  512,
  513,
  514,
  515,
  526,
  530,
  531,
  532,
  540,
  548,
  554,
  556,
  563,
  587,
  601,
  636,
  989,
  990,
  993,
  995,
  1719,
  1720,
  1723,
  2049,
  3659,
  4045,
  4190,
  5060,
  5061,
  6000,
  6566,
  6665,
  6666,
  6667,
  6668,
  6669,
  6679,
  6697,
  10080,
]);

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
