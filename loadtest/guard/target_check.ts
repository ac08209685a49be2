import { authHeaders, type LoadAuth, type LoadMerchant } from "../http/auth.ts";
import type { LoadAnswer, LoadHttpClient } from "../http/client.ts";

/** How long the target gets to answer a pre-flight check: it is idle then, so a few seconds is plenty. */
export const targetCheckTimeoutMs = 5_000;

/**
 * Before any load: is something listening at the target, and is it ready?
 * `GET /ready` (gateway and ingest both serve it), `GET /health` when there
 * is no /ready. Returns the reason to stop, or undefined when it is ready.
 */
export async function targetReadyError(
  client: LoadHttpClient,
  targetUrl: string,
): Promise<string | undefined> {
  const ready = await client.send({ method: "GET", path: "/ready", headers: {} });
  if (ready.kind === "error") {
    return `Nothing answers at ${targetUrl} (${ready.code}): start the platform ` +
      "(deno task start) or point --target at it";
  }
  if (ready.status === 200) return undefined;
  if (ready.status === 404) {
    const health = await client.send({ method: "GET", path: "/health", headers: {} });
    if (health.kind === "response" && health.status === 200) return undefined;
    return `${targetUrl} has no /ready and its /health answered ${describe(health)}`;
  }
  const failing = failingChecks(ready.body);
  return `${targetUrl} is not ready (${ready.status}${
    failing.length > 0 ? `; failing: ${failing.join(", ")}` : ""
  }): wait for it or fix what /ready names`;
}

/**
 * Sends one authenticated read (`GET /api/payments?limit=1`) as the run's
 * first merchant: a refused key or signature stops the run before the load,
 * not after thousands of 401s. Returns the reason to stop, or undefined.
 */
export async function targetAuthError(
  client: LoadHttpClient,
  targetUrl: string,
  auth: LoadAuth,
  merchant: LoadMerchant,
): Promise<string | undefined> {
  const path = "/api/payments?limit=1";
  const answer = await client.send({
    method: "GET",
    path,
    headers: authHeaders(auth, merchant, "GET", path, ""),
  });
  // 429: the key was accepted, only the read budget is spent.
  if (answer.kind === "response" && (answer.status === 200 || answer.status === 429)) {
    return undefined;
  }
  const who = auth.kind === "bearer"
    ? `the API key of merchant ${merchant.merchantId}`
    : `the request signed with INTERNAL_AUTH_SECRET for merchant ${merchant.merchantId}`;
  if (answer.kind === "response" && answer.status === 401) {
    return `${targetUrl} refused ${who} (401${problemCode(answer.body)}): ` +
      (auth.kind === "bearer"
        ? "is the generator on the gateway's database (DB_*), or is DEV_API_KEY the gateway's?"
        : "is INTERNAL_AUTH_SECRET the ingest's?");
  }
  return `${targetUrl} did not accept an authenticated read with ${who}: ${describe(answer)}`;
}

function describe(answer: LoadAnswer): string {
  return answer.kind === "error"
    ? `no answer (${answer.code})`
    : `${answer.status}${problemCode(answer.body)}`;
}

function problemCode(body: string): string {
  try {
    const code = JSON.parse(body)?.code;
    return typeof code === "string" ? ` ${code}` : "";
  } catch {
    return "";
  }
}

/** Names of the false checks of a `/ready` body `{status, checks: {name: boolean}}`. */
function failingChecks(body: string): string[] {
  try {
    const checks = JSON.parse(body)?.checks;
    if (typeof checks !== "object" || checks === null) return [];
    return Object.entries(checks).filter(([, ok]) => ok !== true).map(([name]) => name);
  } catch {
    return [];
  }
}
