import type { DlqListing } from "../../operations/dlq.ts";
import { ActionForm, Empty, Kpi, Layout, type ViewSession } from "../components.tsx";
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
  const { i18n } = props.session;
  const { t } = i18n;
  return (
    <Layout title={t("dlq.title")} active="/dlq" session={props.session} notice={props.notice}>
      <div class="kpis">
        <Kpi
          label={t("dlq.neverReplayed")}
          value={listing.pending}
          tone={listing.pending > 0 ? "bad" : undefined}
        />
        <Kpi label={t("dlq.shown")} value={listing.messages.length} />
      </div>
      <form method="get" action="/dlq" class="inline">
        <label>
          {t("dlq.originalTopic")}
          <input name="topic" value={props.topic} placeholder="payment.captured" />
        </label>
        <label>
          {t("dlq.replayedToo")}
          <select name="includeReplayed">
            <option value="false">{t("common.no")}</option>
            <option value="true" selected={props.includeReplayed}>{t("common.yes")}</option>
          </select>
        </label>
        <button type="submit" class="secondary">{t("common.filter")}</button>
      </form>
      {listing.messages.length === 0
        ? <Empty>{t("dlq.none")}</Empty>
        : (
          <ActionForm session={props.session} action="/console/dlq/replay" class="">
            <table>
              <thead>
                <tr>
                  <th></th>
                  <th>{t("common.id")}</th>
                  <th>{t("dlq.originalTopic")}</th>
                  <th>{t("dlq.group")}</th>
                  <th>{t("dlq.key")}</th>
                  <th>{t("dlq.error")}</th>
                  <th>{t("dlq.payload")}</th>
                  <th>{t("dlq.failed")}</th>
                  <th class="num">{t("dlq.replays")}</th>
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
                            aria-label={t("common.select", { id: m.id })}
                          />
                        )
                        : null}
                    </td>
                    <td class="num">{m.id}</td>
                    <td>{m.originalTopic || <span class="muted">{t("dlq.unreadable")}</span>}</td>
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
                    <td class="t">{i18n.time(m.failedAt)}</td>
                    <td class="num">{m.replayCount}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p>
              <input type="hidden" name="includeReplayed" value={String(props.includeReplayed)} />
              <button type="submit">{t("dlq.replaySelected")}</button>
            </p>
          </ActionForm>
        )}
    </Layout>
  );
}
