/**
 * The storefront's request handler: static files, then file routes with a
 * session, CSRF protection on every POST, security headers on every answer.
 * main.ts builds the dependencies and serves this; tests call it in-process.
 */
import {
  BodyTooLargeError,
  problem,
  type ProblemCode,
  problemResponse,
  readBodyLimited,
} from "@pay/lib/http";
import { CartError, itemCount } from "../cart/cart.ts";
import { ErrorPage, type ErrorPageData } from "../components/ErrorPage.tsx";
import type {
  Handler,
  PageComponent,
  RenderInit,
  RequestContext,
  RouteDeps,
  Session,
  StoreDeps,
} from "./context.ts";
import { createStoreMetrics } from "./metrics.ts";
import { answerOperation, operationPaths } from "./operations.ts";
import { HttpError, StateUnavailableError } from "./http_error.ts";
import { renderPage } from "./render.ts";
import { matchRoute, type RouteTable } from "./router.ts";
import { withSecurityHeaders } from "./security_headers.ts";
import {
  csrfTokenFor,
  isValidCsrfToken,
  newSessionId,
  readCookie,
  sessionCookieHeader,
  sessionCookieName,
  signSessionId,
  verifySessionCookie,
} from "./session_cookie.ts";
import { serveStatic, type StaticFiles, versionedUrl } from "./static_files.ts";
import type { SessionData, StoreState } from "../state/port.ts";
import { receiveWebhook, webhookPath } from "../webhooks/receiver.ts";
import {
  createStoreI18n,
  languageCookieName,
  message,
  requestLocale,
  type StoreI18n,
  type StoreMessage,
} from "../i18n/i18n.ts";

/** The largest form here (a refund with its reason) is well under 1 KB. */
export const formBodyBytesMax = 8_192;

export type StoreHandler = (request: Request) => Promise<Response>;

export function createStoreHandler(
  deps: StoreDeps,
  table: RouteTable,
  staticFiles: StaticFiles,
): StoreHandler {
  const stylesheet = versionedUrl(staticFiles, "/static/styles.css");
  const secret = deps.config.sessionSecret;
  const state = guardedState(deps.state);
  const metrics = createStoreMetrics();
  const routeDeps: RouteDeps = { ...deps, state, metrics };

  function openSession(request: Request): { session: Session; isNew: boolean } {
    const cookie = readCookie(request, sessionCookieName);
    const existing = cookie ? verifySessionCookie(secret, cookie) : undefined;
    const id = existing ?? newSessionId();
    let cached: Promise<SessionData> | undefined;
    const session: Session = {
      id,
      csrfToken: csrfTokenFor(secret, id),
      data: () => cached ??= state.readSession(id),
      async update(change) {
        let latest: SessionData | undefined;
        const result = await state.updateSession(id, (data) => {
          const next = change(data);
          latest = next.data;
          return next;
        });
        if (latest) cached = Promise.resolve(latest);
        return result;
      },
    };
    return { session, isNew: existing === undefined };
  }

  async function renderWith<Data>(
    page: PageComponent<Data>,
    data: Data,
    init: RenderInit,
    url: URL,
    params: Record<string, string>,
    session: Session,
    i18n: StoreI18n,
  ): Promise<Response> {
    const cartCount = itemCount((await session.data()).cart);
    const { html } = renderPage(
      table.app,
      page,
      { data, url, params, csrfToken: session.csrfToken, i18n },
      { title: init.title, url, cartCount, stylesheet, i18n },
      deps.islands,
    );
    const headers = new Headers(init.headers);
    headers.set("content-type", "text/html; charset=utf-8");
    return new Response(html, { status: init.status ?? 200, headers });
  }

  async function errorResponse(
    request: Request,
    url: URL,
    session: Session,
    i18n: StoreI18n,
    code: ProblemCode,
    reason: StoreMessage,
    headers: HeadersInit = {},
  ): Promise<Response> {
    const detail = i18n.say(reason);
    const p = problem(code, detail);
    if (!prefersHtml(request)) return problemResponse(p, headers);
    const title = i18n.t("problem.title", { code });
    const data: ErrorPageData = { status: p.status, title, detail };
    const page =
      (code === "not_found" && table.notFound ? table.notFound : ErrorPage) as PageComponent<
        ErrorPageData
      >;
    try {
      return await renderWith(page, data, { title, status: p.status, headers }, url, {}, {
        ...session,
        // The error may be the state store itself: render the shell without the cart count.
        data: () => session.data().catch(() => emptyData),
      }, i18n);
    } catch {
      return problemResponse(p, headers);
    }
  }

  async function route(
    request: Request,
    url: URL,
    session: Session,
    i18n: StoreI18n,
    matched: ReturnType<typeof matchRoute>,
  ): Promise<Response> {
    if (!matched) {
      return await errorResponse(
        request,
        url,
        session,
        i18n,
        "not_found",
        message("error.noPage", { path: url.pathname.slice(0, 100) }),
      );
    }
    const { route, params } = matched;
    const method = request.method === "HEAD" ? "GET" : request.method;
    const page = route.module.default;
    const handler: Handler | undefined = method === "GET" || method === "POST"
      ? route.module.handler?.[method] ??
        (method === "GET" && page ? (_req, ctx) => ctx.render(undefined, { title: "" }) : undefined)
      : undefined;
    if (!handler) {
      const allow = [
        route.module.handler?.GET || page ? "GET, HEAD" : "",
        route.module.handler?.POST ? "POST" : "",
      ]
        .filter(Boolean).join(", ");
      return await errorResponse(
        request,
        url,
        session,
        i18n,
        "method_not_allowed",
        message("error.method", { method: request.method }),
        { allow },
      );
    }
    const form = method === "POST" ? await readForm(request) : new URLSearchParams();
    if (method === "POST" && !isValidCsrfToken(secret, session.id, form.get("_csrf"))) {
      throw new HttpError("forbidden", message("error.csrf"));
    }
    const ctx: RequestContext = {
      url,
      params,
      deps: routeDeps,
      session,
      i18n,
      form,
      render(data, init) {
        if (!page) throw new Error(`Route has no page component: ${route.file}`);
        return renderWith(page, data, init, url, params, session, i18n);
      },
    };
    return await handler(request, ctx);
  }

  return async function handle(request: Request): Promise<Response> {
    const started = performance.now();
    const url = new URL(request.url);
    const matched = url.pathname.startsWith("/static/") || operationPaths.has(url.pathname) ||
        url.pathname === webhookPath
      ? undefined
      : matchRoute(table.routes, url);
    const label = url.pathname.startsWith("/static/")
      ? "static"
      : operationPaths.has(url.pathname) || url.pathname === webhookPath
      ? url.pathname
      : matched?.route.path ?? "none";
    const response = await respond(request, url, matched);
    metrics.httpRequests.inc({ route: label, method: request.method, status: response.status });
    metrics.httpDuration.observe({ route: label }, (performance.now() - started) / 1000);
    return response;
  };

  async function respond(
    request: Request,
    url: URL,
    matched: ReturnType<typeof matchRoute>,
  ): Promise<Response> {
    if (url.pathname.startsWith("/static/")) {
      return withSecurityHeaders(serveStatic(staticFiles, request, url.pathname));
    }
    if (operationPaths.has(url.pathname)) {
      return withSecurityHeaders(await answerOperation(url.pathname, deps, metrics));
    }
    const webhookSecret = typeof deps.webhookSecret === "function"
      ? deps.webhookSecret()
      : deps.webhookSecret;
    if (url.pathname === webhookPath && webhookSecret) {
      return withSecurityHeaders(await answerWebhook(request, webhookSecret));
    }
    const { session, isNew } = openSession(request);
    const language = requestLocale(
      request,
      url,
      readCookie(request, languageCookieName),
      deps.config.cookieSecure,
    );
    const i18n = createStoreI18n(language.locale, deps.config.timeZone);
    let response: Response;
    try {
      response = await route(request, url, session, i18n, matched);
    } catch (error) {
      response = await answerError(error, request, url, session, i18n);
    }
    response.headers.set("content-language", language.locale);
    response.headers.set("vary", "Accept-Language, Cookie");
    if (language.setCookie) response.headers.append("set-cookie", language.setCookie);
    if (isNew) {
      response.headers.append(
        "set-cookie",
        sessionCookieHeader(signSessionId(secret, session.id), {
          secure: deps.config.cookieSecure,
          maxAgeSeconds: Math.floor(deps.config.sessionTtlMs / 1000),
        }),
      );
    }
    if (!response.headers.has("cache-control")) {
      response.headers.set("cache-control", "no-store");
    }
    if (request.method === "HEAD") {
      response = new Response(null, { status: response.status, headers: response.headers });
    }
    return withSecurityHeaders(response);
  }

  async function answerWebhook(request: Request, webhookSecret: string): Promise<Response> {
    try {
      return await receiveWebhook(request, state, webhookSecret);
    } catch (error) {
      // Not stored: a non-2xx makes the platform deliver again later.
      console.error(`store: webhook not applied: ${error}`);
      return problemResponse(
        problem("upstream_unavailable", "The order could not be stored; deliver again later"),
        { "retry-after": "5" },
      );
    }
  }

  async function answerError(
    error: unknown,
    request: Request,
    url: URL,
    session: Session,
    i18n: StoreI18n,
  ): Promise<Response> {
    if (error instanceof HttpError) {
      return await errorResponse(
        request,
        url,
        session,
        i18n,
        error.code,
        error.reason,
        error.headers,
      );
    }
    if (error instanceof CartError) {
      return await errorResponse(request, url, session, i18n, "validation_error", error.reason);
    }
    if (error instanceof StateUnavailableError) {
      console.error(`store: ${error.message}`);
      return await errorResponse(
        request,
        url,
        session,
        i18n,
        "upstream_unavailable",
        message("error.state"),
        { "retry-after": "5" },
      );
    }
    console.error("store: unexpected error", error);
    return await errorResponse(
      request,
      url,
      session,
      i18n,
      "internal_error",
      message("error.internal"),
    );
  }
}

const emptyData: SessionData = { cart: { version: 0, lines: [] }, paidAttempts: [], orderIds: [] };

/** Browsers get an HTML page; API clients that ask for JSON get problem+json. */
function prefersHtml(request: Request): boolean {
  const accept = request.headers.get("accept") ?? "";
  const wantsJson = accept.includes("application/json") ||
    accept.includes("application/problem+json");
  return accept.includes("text/html") || !wantsJson;
}

/** The state store with its failures turned into StateUnavailableError (answered 503). */
function guardedState(inner: StoreState): StoreState {
  return {
    readSession: (id) => guardState(() => inner.readSession(id)),
    updateSession: (id, change) => guardState(() => inner.updateSession(id, change)),
    saveOrder: (order) => guardState(() => inner.saveOrder(order)),
    findOrder: (orderId) => guardState(() => inner.findOrder(orderId)),
    updateOrder: (orderId, change) => guardState(() => inner.updateOrder(orderId, change)),
    readValue: (key) => guardState(() => inner.readValue(key)),
    writeValue: (key, value, ttlMs) => guardState(() => inner.writeValue(key, value, ttlMs)),
    ping: () => inner.ping(),
    close: () => inner.close(),
  };
}

async function guardState<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    // Refusals raised inside an update (a bad quantity) are the shopper's, not the store's.
    if (error instanceof CartError || error instanceof HttpError) throw error;
    if (error instanceof StateUnavailableError) throw error;
    throw new StateUnavailableError(`Session state failed: ${error}`, { cause: error });
  }
}

async function readForm(request: Request): Promise<URLSearchParams> {
  const type = request.headers.get("content-type") ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded")) {
    throw new HttpError(
      "unsupported_media_type",
      message("error.formType", { type: type.slice(0, 60) || "none" }),
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = await readBodyLimited(request, formBodyBytesMax);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    throw new HttpError(
      "payload_too_large",
      message("error.formSize", { bytes: formBodyBytesMax }),
    );
  }
  return new URLSearchParams(new TextDecoder().decode(bytes));
}
