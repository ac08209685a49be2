import type { ComponentChildren } from "preact";
import { localeNames, locales } from "@pay/lib/i18n";
import type { ConsoleI18n, ConsoleMessageKey } from "./i18n/i18n.ts";

/**
 * Outbox backlog shown as a warning: a healthy relay drains a few batches
 * (OUTBOX_BATCH_SIZE 500) per second, so more than two batches waiting means it trails.
 */
export const outboxBacklogWarnMin = 1_000;

export interface ViewSession {
  /** Null when not logged in: forms that change something are then replaced by a login link. */
  readonly csrf: string | null;
  /** The operator's language, with the formatters of amounts and times. */
  readonly i18n: ConsoleI18n;
  /** The page's own URL (the language links keep its query). */
  readonly url: URL;
}

const navItems: ReadonlyArray<readonly [string, ConsoleMessageKey]> = [
  ["/", "nav.overview"],
  ["/payments", "nav.payments"],
  ["/outbox", "nav.outbox"],
  ["/dlq", "nav.dlq"],
  ["/webhooks", "nav.webhooks"],
  ["/breakers", "nav.breakers"],
  ["/rate-limits", "nav.rateLimits"],
  ["/reconciliation", "nav.reconciliation"],
  ["/ledger", "nav.ledger"],
];

/** The current page in another language (remembered in the `ops_lang` cookie). */
function inLanguage(url: URL, locale: string): string {
  const target = new URLSearchParams(url.search);
  target.set("lang", locale);
  return `${url.pathname}?${target}`;
}

export function Layout(props: {
  title: string;
  active: string;
  session: ViewSession;
  notice?: { text: string; bad?: boolean } | null;
  refreshSeconds?: number;
  children: ComponentChildren;
}) {
  const { i18n } = props.session;
  const { t } = i18n;
  return (
    <html lang={i18n.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {props.refreshSeconds
          ? <meta http-equiv="refresh" content={String(props.refreshSeconds)} />
          : null}
        <title>{t("layout.title", { page: props.title })}</title>
        <link rel="stylesheet" href="/console.css" />
      </head>
      <body>
        <header>
          <span class="brand">{t("layout.brand")}</span>
          <nav>
            {navItems.map(([href, label]) => (
              <a href={href} class={props.active === href ? "active" : undefined}>{t(label)}</a>
            ))}
          </nav>
          <div class="who">
            {props.session.csrf
              ? (
                <form method="post" action="/logout">
                  <input type="hidden" name="csrf" value={props.session.csrf} />
                  <span>{t("layout.operator")}</span>{" "}
                  <button class="secondary" type="submit">{t("layout.logout")}</button>
                </form>
              )
              : <a href="/login">{t("layout.login")}</a>}
            <nav class="language" aria-label={t("layout.language")}>
              {locales.map((locale) => (
                <a
                  href={inLanguage(props.session.url, locale)}
                  lang={locale}
                  hrefLang={locale}
                  aria-current={locale === i18n.locale ? "true" : undefined}
                >
                  {localeNames[locale]}
                </a>
              ))}
            </nav>
          </div>
        </header>
        <main>
          <h1>{props.title}</h1>
          {props.notice
            ? (
              <div class={props.notice.bad ? "notice bad" : "notice"} role="status">
                {props.notice.text}
              </div>
            )
            : null}
          {props.children}
        </main>
      </body>
    </html>
  );
}

/** A form that changes something: carries the CSRF token, or asks to log in first. */
export function ActionForm(props: {
  session: ViewSession;
  action: string;
  children: ComponentChildren;
  class?: string;
}) {
  if (!props.session.csrf) {
    return (
      <p class="muted">
        {props.session.i18n.t("action.loginHint")}{" "}
        <a href="/login">{props.session.i18n.t("action.login")}</a>
      </p>
    );
  }
  return (
    <form method="post" action={props.action} class={props.class ?? "inline"}>
      <input type="hidden" name="csrf" value={props.session.csrf} />
      {props.children}
    </form>
  );
}

export type BadgeTone = "ok" | "warn" | "bad" | "neutral";

export function Badge(props: { tone: BadgeTone; children: ComponentChildren }) {
  return (
    <span class={props.tone === "neutral" ? "badge" : `badge ${props.tone}`}>{props.children}</span>
  );
}

const statusTones: Record<string, BadgeTone> = {
  AUTHORIZED: "neutral",
  CAPTURE_REQUESTED: "warn",
  REFUND_REQUESTED: "warn",
  CAPTURED: "ok",
  PARTIALLY_REFUNDED: "ok",
  REFUNDED: "ok",
  CANCELLED: "neutral",
  EXPIRED: "neutral",
  AUTH_FAILED: "bad",
  CAPTURE_FAILED: "bad",
  REFUND_FAILED: "bad",
  CLEAN: "ok",
  MISMATCHED: "bad",
  FAILED: "bad",
  PENDING: "warn",
  SUCCESS: "ok",
  NEW: "warn",
  PUBLISHED: "ok",
  DEAD: "bad",
  DELIVERED: "ok",
  enabled: "ok",
  disabled: "bad",
  closed: "ok",
  open: "bad",
  "half-open": "warn",
};

export function StatusBadge(props: { status: string }) {
  return <Badge tone={statusTones[props.status] ?? "neutral"}>{props.status}</Badge>;
}

export function Kpi(props: { label: string; value: string | number; tone?: BadgeTone }) {
  const tone = props.tone === "bad" || props.tone === "warn" ? ` ${props.tone}` : "";
  return (
    <div class="kpi">
      <div class={`v${tone}`}>{props.value}</div>
      <div class="l">{props.label}</div>
    </div>
  );
}

export function Empty(props: { children: ComponentChildren }) {
  return <p class="muted">{props.children}</p>;
}
