import type { RateLimitClass } from "@pay/lib/config";
import { matchWebhookRoute } from "./webhook_routes.ts";

/** A payment API route: its template (metrics label) and its rate-limit class. */
export interface PaymentRoute {
  readonly route: string;
  readonly endpointClass: RateLimitClass;
}

export type RouteMatch =
  | { readonly kind: "route"; readonly route: PaymentRoute }
  | { readonly kind: "method_not_allowed"; readonly route: string; readonly allow: string }
  | { readonly kind: "not_found" };

const actions: Record<string, PaymentRoute> = {
  capture: { route: "/api/payments/capture/:paymentId", endpointClass: "capture" },
  // A void frees an authorization like a capture settles it: one class, one budget.
  cancel: { route: "/api/payments/cancel/:paymentId", endpointClass: "capture" },
  refund: { route: "/api/payments/refund/:paymentId", endpointClass: "refund" },
};
const authorize: PaymentRoute = { route: "/api/payments/authorize", endpointClass: "authorize" };
const list: PaymentRoute = { route: "/api/payments", endpointClass: "read" };
const one: PaymentRoute = { route: "/api/payments/:paymentId", endpointClass: "read" };
const oneRefund: PaymentRoute = {
  route: "/api/payments/:paymentId/refunds/:refundId",
  endpointClass: "read",
};

/** Classifies a request under /api/payments (DESIGN §3) or the webhook API (§11). Pure: no I/O. */
export function matchPaymentRoute(method: string, pathname: string): RouteMatch {
  const path = pathname.length > 1 && pathname.endsWith("/") ? pathname.slice(0, -1) : pathname;
  const parts = path.split("/");
  if (parts[1] === "api" && (parts[2] === "webhook-endpoints" || parts[2] === "events")) {
    return matchWebhookRoute(method, parts);
  }
  if (parts[1] !== "api" || parts[2] !== "payments") return { kind: "not_found" };
  const [, , , first, second, ...rest] = parts;
  if (second === "refunds" && rest.length === 1 && first && rest[0] && !actions[first]) {
    return onlyFor("GET", method, oneRefund);
  }
  if (rest.length > 0) return { kind: "not_found" };
  if (first === undefined) return onlyFor("GET", method, list);
  if (first === "" || second === "") return { kind: "not_found" };
  if (first === "authorize") {
    return second === undefined ? onlyFor("POST", method, authorize) : { kind: "not_found" };
  }
  const action = actions[first];
  if (action) return second === undefined ? { kind: "not_found" } : onlyFor("POST", method, action);
  return second === undefined ? onlyFor("GET", method, one) : { kind: "not_found" };
}

function onlyFor(allowed: string, method: string, route: PaymentRoute): RouteMatch {
  return method === allowed || (allowed === "GET" && method === "HEAD")
    ? { kind: "route", route }
    : {
      kind: "method_not_allowed",
      route: route.route,
      allow: allowed === "GET" ? "GET, HEAD" : allowed,
    };
}
