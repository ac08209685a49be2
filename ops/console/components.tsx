import type { ComponentChildren } from "preact";

/**
 * Outbox backlog shown as a warning: a healthy relay drains a few batches
 * (OUTBOX_BATCH_SIZE 500) per second, so more than two batches waiting means it trails.
 */
export const outboxBacklogWarnMin = 1_000;

export interface ViewSession {
  /** Null when not logged in: forms that change something are then replaced by a login link. */
  readonly csrf: string | null;
}

const navItems = [
  ["/", "Overview"],
  ["/payments", "Payments"],
  ["/outbox", "Outbox"],
  ["/dlq", "DLQ"],
  ["/webhooks", "Webhooks"],
  ["/breakers", "Breakers"],
  ["/rate-limits", "Rate limits"],
  ["/reconciliation", "Reconciliation"],
  ["/ledger", "Ledger"],
] as const;

export function Layout(props: {
  title: string;
  active: string;
  session: ViewSession;
  notice?: { text: string; bad?: boolean } | null;
  refreshSeconds?: number;
  children: ComponentChildren;
}) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {props.refreshSeconds
          ? <meta http-equiv="refresh" content={String(props.refreshSeconds)} />
          : null}
        <title>{`${props.title} · Pay ops`}</title>
        <link rel="stylesheet" href="/console.css" />
      </head>
      <body>
        <header>
          <span class="brand">Pay ops</span>
          <nav>
            {navItems.map(([href, label]) => (
              <a href={href} class={props.active === href ? "active" : undefined}>{label}</a>
            ))}
          </nav>
          <div class="who">
            {props.session.csrf
              ? (
                <form method="post" action="/logout">
                  <input type="hidden" name="csrf" value={props.session.csrf} />
                  <span>operator</span> <button class="secondary" type="submit">Log out</button>
                </form>
              )
              : <a href="/login">Log in to act</a>}
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
        <a href="/login">Log in</a> with the ops token to act here.
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
