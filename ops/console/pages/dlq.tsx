import type { DlqListing } from "../../operations/dlq.ts";
import { ActionForm, Empty, Kpi, Layout, type ViewSession } from "../components.tsx";
import { formatTime } from "../format.ts";
import type { Notice } from "../notice.ts";

/** Payload characters shown per row; the full payload is in the API's answer. */
const payloadPreviewChars = 120;

export function DlqPage(props: {
  session: ViewSession;
  listing: DlqListing;
  topic: string;
  includeReplayed: boolean;
  notice: Notice;
}) {
  const { listing } = props;
  return (
    <Layout title="Dead letters" active="/dlq" session={props.session} notice={props.notice}>
      <div class="kpis">
        <Kpi
          label="never replayed"
          value={listing.pending}
          tone={listing.pending > 0 ? "bad" : undefined}
        />
        <Kpi label="shown" value={listing.messages.length} />
      </div>
      <form method="get" action="/dlq" class="inline">
        <label>
          Original topic<input name="topic" value={props.topic} placeholder="payment.captured" />
        </label>
        <label>
          Replayed too
          <select name="includeReplayed">
            <option value="false">no</option>
            <option value="true" selected={props.includeReplayed}>yes</option>
          </select>
        </label>
        <button type="submit" class="secondary">Filter</button>
      </form>
      {listing.messages.length === 0
        ? <Empty>No dead letters.</Empty>
        : (
          <ActionForm session={props.session} action="/console/dlq/replay" class="">
            <table>
              <thead>
                <tr>
                  <th></th>
                  <th>Id</th>
                  <th>Original topic</th>
                  <th>Group</th>
                  <th>Key</th>
                  <th>Error</th>
                  <th>Payload</th>
                  <th>Failed</th>
                  <th class="num">Replays</th>
                </tr>
              </thead>
              <tbody>
                {listing.messages.map((m) => (
                  <tr>
                    <td>
                      {m.originalTopic
                        ? (
                          <input
                            type="checkbox"
                            name="ids"
                            value={String(m.id)}
                            aria-label={`select ${m.id}`}
                          />
                        )
                        : null}
                    </td>
                    <td class="num">{m.id}</td>
                    <td>{m.originalTopic || <span class="muted">(unreadable)</span>}</td>
                    <td>{m.consumerGroup ?? "-"}</td>
                    <td>
                      <code>{m.key}</code>
                    </td>
                    <td>
                      <strong>{m.errorType}</strong>: {m.errorMessage}
                    </td>
                    <td>
                      <code>
                        {m.payload.slice(0, payloadPreviewChars)}
                        {m.payload.length > payloadPreviewChars ? "…" : ""}
                      </code>
                    </td>
                    <td class="t">{formatTime(m.failedAt)}</td>
                    <td class="num">{m.replayCount}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p>
              <input type="hidden" name="includeReplayed" value={String(props.includeReplayed)} />
              <button type="submit">Replay selected</button>
            </p>
          </ActionForm>
        )}
    </Layout>
  );
}
