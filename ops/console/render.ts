import type { VNode } from "preact";
import { renderToString } from "preact-render-to-string";

/**
 * Console pages load nothing from other hosts and run no script: the policy
 * says so to the browser, so an injected tag could not either.
 */
export const consoleCsp =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export function htmlResponse(page: VNode, status = 200): Response {
  return new Response("<!doctype html>" + renderToString(page), {
    status,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": consoleCsp,
      "x-content-type-options": "nosniff",
      "referrer-policy": "same-origin",
      "cache-control": "no-store",
    },
  });
}
