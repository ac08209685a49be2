import type { WebhookDeliveryOpsView } from "@pay/lib/db";
import type { WebhookEndpointListing } from "../../operations/webhooks.ts";
import { Empty, Kpi, Layout, StatusBadge, type ViewSession } from "../components.tsx";
import { formatTime } from "../format.ts";
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
  return (
    <Layout title="Webhooks" active="/webhooks" session={props.session} notice={props.notice}>
      <div class="kpis">
        <Kpi label="endpoints shown" value={listing.endpoints.length} />
        <Kpi
          label="failing"
          value={listing.failing}
          tone={listing.failing > 0 ? "warn" : undefined}
        />
        <Kpi
          label="disabled after failures"
          value={listing.disabledByFailures}
          tone={listing.disabledByFailures > 0 ? "bad" : undefined}
        />
      </div>
      <form method="get" action="/webhooks" class="inline">
        <label>
          Merchant<input name="merchantId" value={props.merchantId} placeholder="M123" />
        </label>
        <button type="submit" class="secondary">Filter</button>
      </form>
      {listing.endpoints.length === 0 ? <Empty>No webhook endpoints.</Empty> : (
        <table>
          <thead>
            <tr>
              <th>Endpoint</th>
              <th>Merchant</th>
              <th>URL</th>
              <th>Status</th>
              <th class="num">Failures in a row</th>
              <th>Failing since</th>
              <th class="num">Pending</th>
              <th>Last attempt</th>
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
                <td class="t">{formatTime(e.failingSince)}</td>
                <td class="num">{e.pending}</td>
                <td class="t">{formatTime(e.lastAttemptAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.selected === null ? null : (
        <>
          <h2>
            Recent deliveries of <code>{props.selected}</code>
          </h2>
          {props.deliveries.length === 0 ? <Empty>No deliveries.</Empty> : (
            <table>
              <thead>
                <tr>
                  <th>Event</th>
                  <th>Type</th>
                  <th>Status</th>
                  <th class="num">Attempts</th>
                  <th class="num">HTTP</th>
                  <th class="num">Latency ms</th>
                  <th>Last error</th>
                  <th>Next attempt</th>
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
                    <td class="t">{d.status === "PENDING" ? formatTime(d.nextAttemptAt) : "-"}</td>
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
