import { timingSafeEqual } from "node:crypto";
import { Hono } from "hono";
import type { Breaker } from "../resilience/mod.ts";
import { problem, problemResponse } from "./problem.ts";

/** Any opossum breaker, whatever its action's arguments and result. */
// deno-lint-ignore no-explicit-any
export type AnyBreaker = Breaker<any[], any>;

export interface BreakerAdminOptions {
  /** The ops token (OPS_TOKEN); null disables the routes (every call is 403). */
  readonly token: string | null;
  readonly breakers: ReadonlyMap<string, AnyBreaker>;
}

export type BreakerStateName = "closed" | "open" | "half-open";

/** One breaker as GET /admin/breakers reports it. */
export interface BreakerAdminView {
  readonly name: string;
  readonly state: BreakerStateName;
  /** True while an operator holds it open (it then never half-opens on its own). */
  readonly forcedOpen: boolean;
  readonly stats: {
    readonly fires: number;
    readonly successes: number;
    readonly failures: number;
    readonly timeouts: number;
    readonly rejects: number;
  };
}

/** True when the `Authorization` header carries `Bearer <token>`; compared in constant time. */
export function bearerTokenMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  if (!match) return false;
  const presented = new TextEncoder().encode(match[1]!);
  const expected = new TextEncoder().encode(token);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

function stateOf(breaker: AnyBreaker): BreakerStateName {
  if (breaker.opened) return "open";
  if (breaker.halfOpen) return "half-open";
  return "closed";
}

/**
 * Routes letting the ops service force breakers inside this process:
 * `GET /admin/breakers`, `POST /admin/breakers/:name/open` (held open until
 * closed: opossum would otherwise half-open it after its reset timeout) and
 * `POST /admin/breakers/:name/close` (releases the hold and closes it; the
 * next failures may open it again). Every route needs `Authorization: Bearer
 * <OPS_TOKEN>`. Mount with `app.route("/", breakerAdminRoutes({...}))`.
 */
export function breakerAdminRoutes(options: BreakerAdminOptions): Hono {
  const held = new Set<string>();
  for (const [name, breaker] of options.breakers) {
    breaker.on("halfOpen", () => {
      if (held.has(name)) breaker.open();
    });
  }
  const view = (name: string, breaker: AnyBreaker): BreakerAdminView => {
    const s = breaker.stats;
    return {
      name,
      state: stateOf(breaker),
      forcedOpen: held.has(name),
      stats: {
        fires: s.fires,
        successes: s.successes,
        failures: s.failures,
        timeouts: s.timeouts,
        rejects: s.rejects,
      },
    };
  };

  const app = new Hono();
  // "/admin/breakers/*" also matches "/admin/breakers" itself.
  app.use("/admin/breakers/*", async (c, next) => {
    if (options.token === null) {
      return problemResponse(
        problem("forbidden", "Breaker administration is disabled: OPS_TOKEN is not set"),
      );
    }
    if (!bearerTokenMatches(c.req.header("authorization"), options.token)) {
      return problemResponse(problem("unauthorized", "Bearer ops token required"), {
        "www-authenticate": 'Bearer realm="ops"',
      });
    }
    await next();
  });
  app.get(
    "/admin/breakers",
    (c) => c.json({ breakers: [...options.breakers].map(([name, b]) => view(name, b)) }),
  );
  app.post("/admin/breakers/:name/:action{open|close}", (c) => {
    const name = c.req.param("name");
    const breaker = options.breakers.get(name);
    if (!breaker) {
      return problemResponse(problem("not_found", `No breaker in this process: ${name}`));
    }
    if (c.req.param("action") === "open") {
      held.add(name);
      breaker.open();
    } else {
      held.delete(name);
      breaker.close();
    }
    return c.json(view(name, breaker));
  });
  return app;
}
