import type { Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { ZodError } from "zod";
import { DomainError } from "@pay/lib/domain";
import { problemOfZodError } from "../http/errors.ts";
import { parseInput } from "../operations/operation.ts";
import { operationNamed } from "../operations/registry.ts";
import { noticeFrom, withNotice } from "./notice.ts";
import { LoginPage } from "./pages/login.tsx";
import { type ConsoleDeps, viewSession } from "./pages_routes.tsx";
import type { ConsoleI18n } from "./i18n/i18n.ts";
import { htmlResponse } from "./render.ts";
import { sameText, sessionCookieName, sessionTtlMs } from "./session.ts";

/** Largest console form body: a page of checkboxes. */
export const formBodyBytesMax = 64 * 1024;

type FormValues = Record<string, string | string[]>;

async function formOf(c: Context): Promise<FormValues> {
  if (Number(c.req.header("content-length") ?? 0) > formBodyBytesMax) return {};
  const body = await c.req.parseBody({ all: true });
  const values: FormValues = {};
  for (const [name, value] of Object.entries(body)) {
    if (typeof value === "string") values[name] = value;
    else if (Array.isArray(value)) {
      values[name] = value.filter((v): v is string => typeof v === "string");
    }
  }
  return values;
}

/** A cross-site form post carries another Origin (or "null"); same-site ones carry ours or none. */
function sameOrigin(c: Context): boolean {
  const origin = c.req.header("origin");
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === (c.req.header("host") ?? new URL(c.req.url).host);
  } catch {
    return false;
  }
}

function text(values: FormValues, name: string): string | undefined {
  const v = values[name];
  const s = Array.isArray(v) ? v.at(-1) : v;
  return s === undefined || s.trim() === "" ? undefined : s.trim();
}

function messageOf(error: unknown): string {
  if (error instanceof ZodError) return problemOfZodError(error).detail;
  if (error instanceof DomainError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

interface ConsoleAction {
  readonly path: string;
  readonly operation: string;
  /** Where to go back to. */
  readonly page: (values: FormValues) => string;
  readonly input: (values: FormValues) => Record<string, unknown>;
  readonly notice: (result: never, t: ConsoleI18n["t"]) => string;
}

const actions: readonly ConsoleAction[] = [
  {
    path: "/console/dlq/replay",
    operation: "dlq-replay",
    page: () => "/dlq",
    input: (v) => ({
      ids: ([] as string[]).concat(v.ids ?? []).join(","),
      includeReplayed: text(v, "includeReplayed") ?? "false",
    }),
    notice: (r: { replayed: unknown[] }, t) => t("notice.replayed", { count: r.replayed.length }),
  },
  {
    path: "/console/outbox/requeue",
    operation: "outbox-requeue",
    page: () => "/outbox",
    input: (v) =>
      text(v, "all") === "true"
        ? { all: true }
        : { ids: ([] as string[]).concat(v.ids ?? []).join(",") },
    notice: (r: { requeued: number }, t) => t("notice.requeued", { count: r.requeued }),
  },
  {
    path: "/console/breakers/force",
    operation: "breaker-force",
    page: () => "/breakers",
    input: (v) => ({
      name: text(v, "name"),
      action: text(v, "action"),
      service: text(v, "service"),
    }),
    notice: (
      r: {
        name: string;
        action: string;
        results: Array<{ service: string; ok: boolean; status: number | null }>;
      },
      t,
    ) =>
      t("notice.forced", {
        action: r.action,
        name: r.name,
        results: r.results.map((x) =>
          x.ok ? t("notice.forceDone", { service: x.service }) : t("notice.forceFailed", {
            service: x.service,
            status: x.status ?? t("notice.unreachable"),
          })
        ).join(", "),
      }),
  },
  {
    path: "/console/rate-limits/reset",
    operation: "rate-limit-reset",
    page: (v) => `/rate-limits?merchantId=${encodeURIComponent(text(v, "merchantId") ?? "")}`,
    input: (v) => ({ merchantId: text(v, "merchantId"), endpointClass: text(v, "endpointClass") }),
    notice: (r: { merchantId: string; cleared: number }, t) =>
      t("notice.refilled", { count: r.cleared, merchant: r.merchantId }),
  },
  {
    path: "/console/reconciliation/run",
    operation: "reconciliation-run",
    page: () => "/reconciliation",
    input: (v) => ({ date: text(v, "date") }),
    notice: (r: { runId: number; date: string; clean: boolean }, t) =>
      t("notice.reconciled", { id: r.runId, date: r.date, clean: String(r.clean) }),
  },
];

function withoutUndefined(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined && v !== ""));
}

/**
 * Login, logout and the console's forms that change something. Each action
 * needs a session (from logging in with the ops token), the session's CSRF
 * token in the form, and no foreign Origin; the cookie is SameSite=Strict.
 */
export function mountConsoleActions(app: Hono, deps: ConsoleDeps): void {
  app.get("/login", (c) =>
    htmlResponse(
      <LoginPage
        session={viewSession(c, deps)}
        notice={noticeFrom(new URL(c.req.url))}
        disabled={deps.token === null}
        devToken={deps.devToken}
      />,
    ));

  app.post("/login", async (c) => {
    if (deps.token === null || !sameOrigin(c)) return c.redirect("/login", 303);
    const token = text(await formOf(c), "token") ?? "";
    const { t } = viewSession(c, deps).i18n;
    if (!sameText(token, deps.token)) {
      return c.redirect(withNotice("/login", t("login.wrong"), true), 303);
    }
    const session = deps.sessions.create();
    setCookie(c, sessionCookieName, session.id, {
      httpOnly: true,
      sameSite: "Strict",
      path: "/",
      maxAge: sessionTtlMs / 1_000,
      secure: new URL(c.req.url).protocol === "https:",
    });
    return c.redirect(withNotice("/", t("login.done")), 303);
  });

  app.post("/logout", async (c) => {
    const id = getCookie(c, sessionCookieName);
    const session = deps.sessions.find(id);
    const csrf = text(await formOf(c), "csrf") ?? "";
    if (session && sameText(csrf, session.csrf)) deps.sessions.delete(id);
    deleteCookie(c, sessionCookieName, { path: "/" });
    return c.redirect("/", 303);
  });

  for (const action of actions) {
    app.post(action.path, async (c) => {
      const session = deps.sessions.find(getCookie(c, sessionCookieName));
      const values = await formOf(c);
      const { t } = viewSession(c, deps).i18n;
      if (!session || !sameOrigin(c) || !sameText(text(values, "csrf") ?? "", session.csrf)) {
        return c.redirect(withNotice("/login", t("login.again"), true), 303);
      }
      const op = operationNamed(action.operation)!;
      try {
        const input = parseInput(op, withoutUndefined(action.input(values)));
        const result = await op.run(deps.ctx, input, { actor: "console" });
        return c.redirect(
          withNotice(action.page(values), action.notice(result as never, t)),
          303,
        );
      } catch (error) {
        if (!(error instanceof ZodError || error instanceof DomainError)) throw error;
        return c.redirect(withNotice(action.page(values), messageOf(error), true), 303);
      }
    });
  }
}
