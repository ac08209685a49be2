import type { PaymentRoute, RouteMatch } from "./routes.ts";

/**
 * Routes of the webhook endpoints and events API (DESIGN §11). Reads are
 * the `read` class; endpoint changes share the `capture` class's budget (a
 * merchant changes endpoints rarely; a script looping on them is throttled
 * like one looping on captures). Pure: no I/O.
 */
const endpoints = "/api/webhook-endpoints";
const endpointsCollection = {
  GET: { route: endpoints, endpointClass: "read" },
  POST: { route: endpoints, endpointClass: "capture" },
} as const satisfies Record<string, PaymentRoute>;
const endpointOne = {
  GET: { route: `${endpoints}/:id`, endpointClass: "read" },
  PATCH: { route: `${endpoints}/:id`, endpointClass: "capture" },
  DELETE: { route: `${endpoints}/:id`, endpointClass: "capture" },
} as const satisfies Record<string, PaymentRoute>;
const rotate = {
  POST: { route: `${endpoints}/:id/rotate-secret`, endpointClass: "capture" },
} as const satisfies Record<string, PaymentRoute>;
const eventsCollection = {
  GET: { route: "/api/events", endpointClass: "read" },
} as const satisfies Record<string, PaymentRoute>;
const eventOne = {
  GET: { route: "/api/events/:id", endpointClass: "read" },
} as const satisfies Record<string, PaymentRoute>;

/** Classifies a request under /api/webhook-endpoints or /api/events; parts are the path's segments. */
export function matchWebhookRoute(method: string, parts: readonly string[]): RouteMatch {
  const [, , section, id, action, ...rest] = parts;
  if (rest.length > 0 || id === "" || action === "") return { kind: "not_found" };
  if (section === "events") {
    if (action !== undefined) return { kind: "not_found" };
    return byMethod(method, id === undefined ? eventsCollection : eventOne);
  }
  if (id === undefined) return byMethod(method, endpointsCollection);
  if (action === undefined) return byMethod(method, endpointOne);
  return action === "rotate-secret" ? byMethod(method, rotate) : { kind: "not_found" };
}

function byMethod(method: string, routes: Readonly<Record<string, PaymentRoute>>): RouteMatch {
  const route = routes[method] ?? (method === "HEAD" ? routes.GET : undefined);
  if (route) return { kind: "route", route };
  const allowed = Object.keys(routes);
  const any = Object.values(routes)[0]!;
  return {
    kind: "method_not_allowed",
    route: any.route,
    allow: (allowed.includes("GET") ? [...allowed, "HEAD"] : allowed).join(", "),
  };
}
