import type { WebhookDeliveryOpsView } from "@pay/lib/db";
import type { WebhookEndpointListing } from "../../operations/webhooks.ts";
import { Empty, Kpi, Layout, StatusBadge, type ViewSession } from "../components.tsx";
import type { Notice } from "../notice.ts";

/**
 * Webhook endpoints of every merchant with their state, and the recent
 * deliveries of the selected one. Read-only: replays go through the ops API
 * or `deno task ops webhook-replay` (ops/README.md).
 */
export function WebhooksPage(props: {
  session: ViewSession;
  listing: WebhookEndpointListing;
  merchantId: string;
  selected: string | null;
  deliveries: readonly WebhookDeliveryOpsView[];
  notice: Notice;
}) {
  const { listing } = props;
  const { i18n } = props.session;
  const { t } = i18n;
  return (
    <Layout
      title={t("webhooks.title")}
      active="/webhooks"
      session={props.session}
      notice={props.notice}
    >
      <div class="kpis">
        <Kpi label={t("webhooks.shown")} value={listing.endpoints.length} />
        <Kpi
          label={t("webhooks.failing")}
          value={listing.failing}
          tone={listing.failing > 0 ? "warn" : undefined}
        />
        <Kpi
          label={t("webhooks.disabled")}
          value={listing.disabledByFailures}
          tone={listing.disabledByFailures > 0 ? "bad" : undefined}
        />
      </div>
      <form method="get" action="/webhooks" class="inline">
        <label>
          {t("common.merchant")}
          <input name="merchantId" value={props.merchantId} placeholder="M123" />
        </label>
        <button type="submit" class="secondary">{t("common.filter")}</button>
      </form>
      {listing.endpoints.length === 0 ? <Empty>{t("webhooks.none")}</Empty> : (
        <table>
          <thead>
            <tr>
              <th>{t("webhooks.endpoint")}</th>
              <th>{t("common.merchant")}</th>
              <th>{t("webhooks.url")}</th>
              <th>{t("common.status")}</th>
              <th class="num">{t("webhooks.failuresInARow")}</th>
              <th>{t("webhooks.failingSince")}</th>
              <th class="num">{t("webhooks.pending")}</th>
              <th>{t("webhooks.lastAttempt")}</th>
            </tr>
          </thead>
          <tbody>
            {listing.endpoints.map((e) => (
              <tr>
                <td>
                  <a href={`/webhooks?endpointId=${encodeURIComponent(e.id)}`}>
                    <code>{e.id}</code>
                  </a>
                </td>
                <td>{e.merchantId}</td>
                <td>
                  <code>{e.url}</code>
                </td>
                <td>
                  <StatusBadge status={e.status} />
                  {e.disabledReason ? <span class="muted">{e.disabledReason}</span> : null}
                </td>
                <td class="num">{e.consecutiveFailures}</td>
                <td class="t">{i18n.time(e.failingSince)}</td>
                <td class="num">{e.pending}</td>
                <td class="t">{i18n.time(e.lastAttemptAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.selected === null ? null : (
        <>
          <h2>{t("webhooks.deliveriesOf", { endpoint: props.selected })}</h2>
          {props.deliveries.length === 0 ? <Empty>{t("webhooks.noDeliveries")}</Empty> : (
            <table>
              <thead>
                <tr>
                  <th>{t("webhooks.event")}</th>
                  <th>{t("webhooks.type")}</th>
                  <th>{t("common.status")}</th>
                  <th class="num">{t("common.attempts")}</th>
                  <th class="num">{t("webhooks.http")}</th>
                  <th class="num">{t("webhooks.latency")}</th>
                  <th>{t("common.lastError")}</th>
                  <th>{t("webhooks.nextAttempt")}</th>
                </tr>
              </thead>
              <tbody>
                {props.deliveries.map((d) => (
                  <tr>
                    <td>
                      <code>{d.eventId}</code>
                    </td>
                    <td>{d.eventType}</td>
                    <td>
                      <StatusBadge status={d.status} />
                    </td>
                    <td class="num">{d.attempts}</td>
                    <td class="num">{d.lastStatusCode ?? "-"}</td>
                    <td class="num">{d.lastLatencyMs ?? "-"}</td>
                    <td>{d.lastError ?? ""}</td>
                    <td class="t">{d.status === "PENDING" ? i18n.time(d.nextAttemptAt) : "-"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </Layout>
  );
}
