import { transitions } from "@pay/lib/domain";
import { problemTypePage } from "@pay/lib/http";
import { pgTestCards } from "@pay/lib/pg";

/**
 * The prose of the reference (the document's `info.description`, Markdown):
 * authentication, the payment states, the test cards and a curl session, plus
 * the copyable curl sample of each operation (`x-codeSamples`).
 */

/** What a curl sample assumes: the gateway's address and a test secret key. */
const curlSetup = `GATEWAY=http://127.0.0.1:8080   # where the gateway listens
KEY=sk_test_...                   # your secret key (deno task start prints the dev key)`;

interface CurlOptions {
  readonly body?: unknown;
  readonly idempotencyKey?: string;
}

/** An operation's `x-codeSamples`: its curl command. */
export function curlSample(method: string, path: string, options: CurlOptions = {}) {
  return [{ lang: "Shell", label: "curl", source: curlCommand(method, path, options) }];
}

/** A copyable curl command for one call, with `$GATEWAY` and `$KEY` as set up above. */
function curlCommand(method: string, path: string, options: CurlOptions = {}): string {
  const lines = [
    `curl -s${method === "GET" ? "" : ` -X ${method}`} "$GATEWAY${path}"`,
    `-H "Authorization: Bearer $KEY"`,
  ];
  if (options.idempotencyKey) lines.push(`-H "Idempotency-Key: ${options.idempotencyKey}"`);
  if (options.body !== undefined) {
    lines.push(`-H "Content-Type: application/json"`, `-d '${JSON.stringify(options.body)}'`);
  }
  return lines.join(" \\\n  ");
}

const stateDiagram = `\`\`\`
AUTHORIZED ──capture──> CAPTURE_REQUESTED ──PG ok──> CAPTURED ──refund──> REFUND_REQUESTED
    │  │                        └──PG fails (after retries)──> CAPTURE_FAILED
    │  └──cancel──> CANCELLED                REFUND_REQUESTED ──PG ok──> PARTIALLY_REFUNDED | REFUNDED
    └──expiry (7 d)──> EXPIRED                REFUND_REQUESTED ──PG fails──> REFUND_FAILED
(authorize declined) AUTH_FAILED            PARTIALLY_REFUNDED ──refund──> REFUND_REQUESTED
\`\`\``;

function transitionTable(): string {
  const rows = transitions.map((t) => `| \`${t.from}\` | ${t.action} | \`${t.to}\` |`);
  return ["| From | Action | To |", "| --- | --- | --- |", ...rows].join("\n");
}

function testCardTable(): string {
  const rows = pgTestCards.map((card) => `| \`${card.token}\` | ${card.label} |`);
  return ["| paymentMethod | Outcome |", "| --- | --- |", ...rows].join("\n");
}

const tour = `\`\`\`sh
${curlSetup}

# Authorize (Idempotency-Key required) -> 201 AUTHORIZED
${
  curlCommand("POST", "/api/payments/authorize", {
    idempotencyKey: "order-1001-try-1",
    body: { amount: 10000, currency: "KRW", orderId: "order-1001", paymentMethod: "tok_visa" },
  })
}

PAY=pay_...   # paymentId from the answer

# Capture -> 202 CAPTURE_REQUESTED, then CAPTURED
${curlCommand("POST", "/api/payments/capture/$PAY", { idempotencyKey: "cap-1001" })}

# Refund part of it -> 202 REFUND_REQUESTED with refundId, then PARTIALLY_REFUNDED
${
  curlCommand("POST", "/api/payments/refund/$PAY", {
    body: { amount: 4000, reason: "size exchange" },
  })
}

# The payment with its refunds
${curlCommand("GET", "/api/payments/$PAY")}
\`\`\``;

/** The document's description: the guide sections shown before the operations. */
export function guideMarkdown(): string {
  return `Authorize, capture, refund and cancel card payments; receive their outcomes as signed webhooks and list them as events. Amounts are integers in the currency's minor unit (KRW has none: \`10000\` is ₩10,000; USD has cents: \`1250\` is $12.50).

# Authentication

Authenticate with a secret key: \`Authorization: Bearer sk_test_…\` (test mode) or \`sk_live_…\` (live mode). A payment belongs to the mode of the key that made it; a key never sees the other mode's payments. Publishable keys (\`pk_test_…\`/\`pk_live_…\`) are refused (403 publishable_key). Secret keys of the former \`pk_<env>_…\` format still work for this release (\`pk_dev_\`/\`pk_test_\` in test mode, \`pk_live_\` in live mode) and are logged as deprecated.

Every answer carries \`X-Request-Id\`; rate-limited calls carry \`RateLimit\` and \`RateLimit-Policy\`, and a 429 or 503 \`Retry-After\`. Every POST takes an \`Idempotency-Key\` (authorize requires one): a repeat replays the first answer with \`Idempotent-Replayed: true\`.

# Errors

Errors are \`application/problem+json\` (RFC 9457): \`{type, title, status, detail, code, param?, paymentId?}\`. Each \`type\` is \`${problemTypePage}#<code>\`, the code's entry on the [problem types page](${problemTypePage}).

# Payment states

${stateDiagram}

${transitionTable()}

# Test cards

In test mode \`paymentMethod\` on authorize picks the card's outcome (default \`tok_visa\`):

${testCardTable()}

# Try it with curl

${tour}`;
}
