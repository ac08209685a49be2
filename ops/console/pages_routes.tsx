import type { Context, Hono } from "hono";
import type { BucketStatus } from "@pay/gateway/rate_limit";
import { getCookie } from "hono/cookie";
import { ZodError } from "zod";
import { DomainError, NotInProfileError } from "@pay/lib/domain";
import { latestReconciliationRuns, outboxStats } from "@pay/lib/db";
import { diagnoseBreakers } from "../operations/breakers.ts";
import type { OpsContext } from "../operations/context.ts";
import { dlqList } from "../operations/dlq.ts";
import { webhookDeliveries, webhookEndpoints } from "../operations/webhooks.ts";
import { ledgerCheck, type LedgerLookup, ledgerLookup } from "../operations/ledger.ts";
import { parseInput } from "../operations/operation.ts";
import { outboxStatus } from "../operations/outbox.ts";
import {
  paymentDetail,
  type PaymentsQuery,
  paymentStatistics,
  queryPayments,
} from "../operations/payments.ts";
import { blockedMerchants, rateLimitStatus } from "../operations/rate_limits.ts";
import { reconciliationReport } from "../operations/reconciliation.ts";
import { operationNamed } from "../operations/registry.ts";
import { problemOfZodError } from "../http/errors.ts";
import type { ViewSession } from "./components.tsx";
import { noticeFrom } from "./notice.ts";
import { BreakersPage } from "./pages/breakers.tsx";
import { DlqPage } from "./pages/dlq.tsx";
import { WebhooksPage } from "./pages/webhooks.tsx";
import { LedgerPage } from "./pages/ledger.tsx";
import { OverviewPage } from "./pages/overview.tsx";
import { PaymentDetailPage, type PaymentSearch, PaymentsPage } from "./pages/payments.tsx";
import { OutboxPage } from "./pages/outbox.tsx";
import { RateLimitsPage } from "./pages/rate_limits.tsx";
import { ReconciliationPage } from "./pages/reconciliation.tsx";
import { htmlResponse } from "./render.ts";
import { sessionCookieName, type SessionStore } from "./session.ts";
import { settle, type Settled } from "./settled.ts";
import { consoleCss } from "./style.ts";
import { consoleLanguageOf, createConsoleI18n } from "./i18n/i18n.ts";

export interface ConsoleDeps {
  readonly ctx: OpsContext;
  readonly sessions: SessionStore;
  readonly token: string | null;
  readonly devToken: boolean;
  readonly refreshSeconds: number;
  /** DISPLAY_TIME_ZONE: the zone of every time the console shows. */
  readonly timeZone: string;
}

/** Rows a console table shows; the API pages further. */
const tableRowsMax = 100;
/** Reconciliation runs listed: three weeks of daily runs. */
const reconciliationRunsShown = 20;

export function viewSession(
  c: Context,
  deps: Pick<ConsoleDeps, "sessions" | "timeZone">,
): ViewSession {
  return {
    csrf: deps.sessions.find(getCookie(c, sessionCookieName))?.csrf ?? null,
    i18n: createConsoleI18n(consoleLanguageOf(c).locale, deps.timeZone),
    url: new URL(c.req.url),
  };
}

/** Console pages answer in the operator's language; a `?lang=` link is remembered in a cookie. */
function rememberLanguage(app: Hono): void {
  app.use("*", async (c, next) => {
    await next();
    if (!c.res.headers.get("content-type")?.startsWith("text/html")) return;
    const { locale, setCookie } = consoleLanguageOf(c);
    c.res.headers.set("content-language", locale);
    if (setCookie) c.res.headers.append("set-cookie", setCookie);
  });
}

/** A bad search shows as a notice on the page, not as an error page. */
function messageOf(error: unknown): string {
  if (error instanceof ZodError) return problemOfZodError(error).detail;
  if (error instanceof DomainError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

function nonEmpty(query: Record<string, string>, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    names.filter((n) => query[n]?.trim()).map((n) => [n, query[n]!.trim()]),
  );
}

/** The read-only console pages (GET); actions live in actions.ts. */
export function mountConsolePages(app: Hono, deps: ConsoleDeps): void {
  const { ctx } = deps;
  rememberLanguage(app);
  app.get("/console.css", () =>
    new Response(consoleCss, {
      headers: { "content-type": "text/css; charset=utf-8", "cache-control": "max-age=300" },
    }));

  app.get("/", async (c) => {
    const [outbox, dlq, stats, runs] = await Promise.all([
      settle(outboxStats(ctx.pool)),
      settle(dlqList(ctx.pool, { limit: 1 })),
      settle(paymentStatistics(ctx.pool, ctx.now())),
      settle(latestReconciliationRuns(ctx.pool, 1)),
    ]);
    return htmlResponse(
      <OverviewPage
        session={viewSession(c, deps)}
        data={{
          services: ctx.sampler.targets.map((t) => ({
            name: t.name,
            url: t.url,
            history: ctx.sampler.history(t.name),
          })),
          outbox,
          dlqPending: { value: dlq.value?.pending, error: dlq.error },
          lastHour: {
            value: stats.value?.windows.find((w) => w.window === "1h"),
            error: stats.error,
          },
          reconciliation: {
            value: runs.value ? runs.value[0] ?? null : undefined,
            error: runs.error,
          },
          refreshSeconds: deps.refreshSeconds,
        }}
      />,
    );
  });

  app.get("/payments", async (c) => {
    const query = c.req.query();
    const search: PaymentSearch = nonEmpty(query, [
      "paymentId",
      "merchantId",
      "status",
      "from",
      "to",
    ]);
    const session = viewSession(c, deps);
    try {
      const input = parseInput(operationNamed("payments")!, {
        ...search,
        ...nonEmpty(query, ["beforeId"]),
        limit: tableRowsMax,
      });
      const result = await queryPayments(ctx.pool, input as unknown as PaymentsQuery);
      const next = new URLSearchParams({
        ...search,
        ...(result.nextCursor ? { beforeId: result.nextCursor } : {}),
      });
      return htmlResponse(
        <PaymentsPage
          session={session}
          search={search}
          result={result}
          nextHref={result.nextCursor ? `/payments?${next}` : undefined}
        />,
      );
    } catch (error) {
      return htmlResponse(
        <PaymentsPage session={session} search={search} error={messageOf(error)} />,
        400,
      );
    }
  });

  app.get("/payments/:paymentId", async (c) => {
    const session = viewSession(c, deps);
    const paymentId = c.req.param("paymentId");
    try {
      parseInput(operationNamed("payment")!, { paymentId });
      return htmlResponse(
        <PaymentDetailPage session={session} detail={await paymentDetail(ctx.pool, paymentId)} />,
      );
    } catch (error) {
      if (!(error instanceof ZodError || error instanceof DomainError)) throw error;
      return htmlResponse(
        <PaymentsPage session={session} search={{ paymentId }} error={messageOf(error)} />,
        error instanceof ZodError ? 400 : 404,
      );
    }
  });

  app.get("/outbox", async (c) => {
    const status = await outboxStatus(ctx.pool, { limit: tableRowsMax });
    return htmlResponse(
      <OutboxPage
        session={viewSession(c, deps)}
        status={status}
        notice={noticeFrom(new URL(c.req.url))}
      />,
    );
  });

  app.get("/dlq", async (c) => {
    const topic = c.req.query("topic")?.trim() ?? "";
    const includeReplayed = c.req.query("includeReplayed") === "true";
    const listing = await dlqList(ctx.pool, {
      originalTopic: topic || undefined,
      includeReplayed,
      limit: tableRowsMax,
    });
    return htmlResponse(
      <DlqPage
        session={viewSession(c, deps)}
        listing={listing}
        topic={topic}
        includeReplayed={includeReplayed}
        notice={noticeFrom(new URL(c.req.url))}
      />,
    );
  });

  app.get("/webhooks", async (c) => {
    const merchantId = c.req.query("merchantId")?.trim() ?? "";
    const selected = c.req.query("endpointId")?.trim() || null;
    const [listing, deliveries] = await Promise.all([
      webhookEndpoints(ctx, { merchantId: merchantId || undefined, limit: tableRowsMax }),
      selected === null
        ? Promise.resolve({ deliveries: [] })
        : webhookDeliveries(ctx, { endpointId: selected, limit: tableRowsMax }),
    ]);
    return htmlResponse(
      <WebhooksPage
        session={viewSession(c, deps)}
        listing={listing}
        merchantId={merchantId}
        selected={selected}
        deliveries={deliveries.deliveries}
        notice={noticeFrom(new URL(c.req.url))}
      />,
    );
  });

  app.get("/breakers", async (c) =>
    htmlResponse(
      <BreakersPage
        session={viewSession(c, deps)}
        diagnosis={await diagnoseBreakers(ctx)}
        notice={noticeFrom(new URL(c.req.url))}
      />,
    ));

  app.get("/rate-limits", async (c) => {
    const merchantId = c.req.query("merchantId")?.trim() ?? "";
    const notice = noticeFrom(new URL(c.req.url));
    const session = viewSession(c, deps);
    const blocked = await blockedMerchants(ctx).catch((error) => {
      if (error instanceof NotInProfileError) return error;
      throw error;
    });
    if (blocked instanceof NotInProfileError) {
      // The embedded profile: the buckets live in each gateway process, out of the console's reach.
      return htmlResponse(
        <RateLimitsPage
          session={session}
          blocked={[]}
          merchantId=""
          buckets={null}
          notice={notice}
          notInProfile={blocked.message}
        />,
      );
    }
    const buckets: Settled<BucketStatus[] | null> = merchantId
      ? await settle((async () => {
        parseInput(operationNamed("rate-limit")!, { merchantId });
        return (await rateLimitStatus(ctx, merchantId)).buckets;
      })())
      : { value: null };
    return htmlResponse(
      <RateLimitsPage
        session={session}
        blocked={blocked.blocked}
        merchantId={merchantId}
        buckets={buckets.value ?? null}
        notice={buckets.error ? { text: `merchantId: ${buckets.error}`, bad: true } : notice}
      />,
    );
  });

  app.get("/reconciliation", async (c) => {
    const runIdText = c.req.query("runId");
    const runId = runIdText && /^\d{1,15}$/.test(runIdText) ? Number(runIdText) : undefined;
    const report = await reconciliationReport(ctx.pool, { limit: reconciliationRunsShown, runId })
      .catch((error) => {
        if (error instanceof DomainError) {
          return reconciliationReport(ctx.pool, { limit: reconciliationRunsShown });
        }
        throw error;
      });
    return htmlResponse(
      <ReconciliationPage
        session={viewSession(c, deps)}
        report={report}
        notice={noticeFrom(new URL(c.req.url))}
      />,
    );
  });

  app.get("/ledger", async (c) => {
    const paymentId = c.req.query("paymentId")?.trim() ?? "";
    const check = await ledgerCheck(ctx.pool);
    let lookup: LedgerLookup | null = null;
    let error: string | undefined;
    if (paymentId) {
      try {
        parseInput(operationNamed("ledger")!, { paymentId });
        lookup = await ledgerLookup(ctx.pool, paymentId);
      } catch (e) {
        error = messageOf(e);
      }
    }
    return htmlResponse(
      <LedgerPage
        session={viewSession(c, deps)}
        check={check}
        paymentId={paymentId}
        lookup={lookup}
        error={error}
      />,
    );
  });
}
