import { problemCatalog, type ProblemCode, problemTypePage } from "@pay/lib/http";
import { escapeHtml } from "./docs_page.ts";

/**
 * What each problem code means and what to do about it. A Record over every
 * code, so a new code does not compile until it is explained here.
 */
const explanations: Record<ProblemCode, string> = {
  validation_error:
    "The request is malformed: `param` names the offending field, header or query parameter and `detail` says which rule it breaks. Fix the request; repeating it unchanged fails the same way.",
  amount_exceeds_authorized:
    "A capture asked for more than the payment's authorized `amount`. Capture at most that (or omit `amount` for the full capture).",
  amount_exceeds_refundable:
    "A refund asked for more than is captured and not yet refunded (`capturedAmount - refundedAmount`).",
  unauthorized:
    "No API key, a malformed, unknown or revoked one, or a wrong secret. Send `Authorization: Bearer sk_test_…` (or `sk_live_…`).",
  card_declined:
    "The card issuer declined the authorization. The payment is stored as AUTH_FAILED; `declineCode` says why. Ask the customer for another card and use a new Idempotency-Key.",
  forbidden:
    "The key is valid but may not do this: the body's `merchantId` is not the key's merchant, or the merchant is not active.",
  publishable_key:
    "A publishable key (`pk_test_…`/`pk_live_…`) was sent. Publishable keys are for browsers and can do nothing on this API; call it from your server with a secret key (`sk_test_…`/`sk_live_…`).",
  not_found:
    "No such route, payment or refund for this key. Another merchant's payment, and a payment of the other mode (test or live), are not found too.",
  method_not_allowed:
    "The route exists but not with this method; the `Allow` header lists those it takes.",
  invalid_state:
    "The payment's state does not allow this action (for example capturing a cancelled payment). Read the payment to see its state.",
  idempotency_key_in_use:
    "A request with the same Idempotency-Key is still being processed. Retry shortly with the same key: it will replay the first answer.",
  authorization_voided:
    "The authorization of this Idempotency-Key was voided after its answer was lost. Authorize again with a new key.",
  not_in_profile:
    "The operation has nothing to act on in the running profile (for example Redis rate limits on the embedded profile).",
  payload_too_large: "The body is larger than the gateway accepts. Send a smaller body.",
  unsupported_media_type: "The body is not `application/json`. Send JSON with that Content-Type.",
  idempotency_key_mismatch:
    "The Idempotency-Key was already used with a different request (another body, path, or key mode). Use a new key for a new request.",
  rate_limited:
    "Too many requests of this class for the merchant. Wait for `Retry-After` seconds; `RateLimit` and `RateLimit-Policy` describe the budget.",
  internal_error:
    "An unexpected error on our side. The request id (`X-Request-Id`) helps us find it.",
  upstream_unavailable:
    "No payment service instance could take the request. Retry after `Retry-After` seconds, with the same Idempotency-Key.",
  pg_unavailable:
    "The payment gateway (card network) is unavailable; nothing was done. Retry after `Retry-After` seconds with the same Idempotency-Key.",
  service_unavailable:
    "A dependency of the service is briefly unavailable. Retry after `Retry-After` seconds with the same Idempotency-Key.",
  overloaded:
    "The platform is taking all the requests it can serve now and refused this one before doing anything. Retry after `Retry-After` seconds with the same Idempotency-Key.",
};

/** `/api/docs/problems`: every problem code, each under an anchor named by the code (the problems' `type`). */
export function renderProblemsPage(): string {
  const rows = problemCatalog.map(({ code, status, title }) =>
    `<section id="${escapeHtml(code)}"><h2><a href="#${escapeHtml(code)}"><code>${
      escapeHtml(code)
    }</code></a> <small>${status} ${escapeHtml(title)}</small></h2>
<p>${inlineCode(explanations[code])}</p></section>`
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Problem types</title>
<style>${style}</style></head>
<body><main>
<h1>Problem types</h1>
<p>Every error of the payment API is <code>application/problem+json</code> (RFC 9457):
<code>{type, title, status, detail, code, param?, paymentId?}</code>. Its <code>type</code> is
<code>${problemTypePage}#&lt;code&gt;</code>, a link to its entry below. Back to the <a href="/api/docs">API reference</a>.</p>
${rows.join("\n")}
</main></body></html>`;
}

/** Escapes text, then shows `back-quoted` parts as code. */
function inlineCode(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, "<code>$1</code>");
}

const style = `body{font:15px/1.5 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1b1f24}
main{max-width:960px;margin:auto;padding:24px}
section{background:#fff;border:1px solid #d8dde3;border-radius:6px;padding:4px 16px;margin:12px 0}
section:target{border-color:#1f5fbf;box-shadow:0 0 0 2px #1f5fbf40}
h2 a{color:inherit;text-decoration:none}small{color:#667;font-weight:normal}`;
