import type { BlockedEntry, BucketStatus } from "@pay/gateway/rate_limit";
import { ActionForm, Empty, Layout, type ViewSession } from "../components.tsx";
import type { Notice } from "../notice.ts";

export function RateLimitsPage(props: {
  session: ViewSession;
  blocked: readonly BlockedEntry[];
  merchantId: string;
  buckets: readonly BucketStatus[] | null;
  notice: Notice;
  /** Why the page has nothing to show in this profile (the embedded one keeps no shared buckets). */
  notInProfile?: string;
}) {
  const { i18n } = props.session;
  const { t } = i18n;
  if (props.notInProfile) {
    return (
      <Layout
        title={t("rateLimits.title")}
        active="/rate-limits"
        session={props.session}
        notice={props.notice}
      >
        <Empty>{props.notInProfile}</Empty>
      </Layout>
    );
  }
  return (
    <Layout
      title={t("rateLimits.title")}
      active="/rate-limits"
      session={props.session}
      notice={props.notice}
    >
      <h2>{t("rateLimits.blocked")}</h2>
      {props.blocked.length === 0 ? <Empty>{t("rateLimits.noneBlocked")}</Empty> : (
        <table>
          <thead>
            <tr>
              <th>{t("common.merchant")}</th>
              <th>{t("rateLimits.endpointClass")}</th>
              <th>{t("rateLimits.lastBlocked")}</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {props.blocked.map((b) => (
              <tr>
                <td>{b.merchantId}</td>
                <td>{b.endpointClass}</td>
                <td class="t">{i18n.time(b.lastBlockedAt)}</td>
                <td>
                  <a href={`/rate-limits?merchantId=${encodeURIComponent(b.merchantId)}`}>
                    {t("rateLimits.buckets")}
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{t("rateLimits.merchantBuckets")}</h2>
      <form method="get" action="/rate-limits" class="inline">
        <label>
          {t("common.merchant")}
          <input name="merchantId" value={props.merchantId} placeholder="M123" />
        </label>
        <button type="submit" class="secondary">{t("common.show")}</button>
      </form>
      {props.buckets
        ? (
          <>
            <table>
              <thead>
                <tr>
                  <th>{t("rateLimits.class")}</th>
                  <th class="num">{t("rateLimits.perMinute")}</th>
                  <th class="num">{t("rateLimits.burst")}</th>
                  <th class="num">{t("rateLimits.remaining")}</th>
                  <th class="num">{t("rateLimits.fullIn")}</th>
                </tr>
              </thead>
              <tbody>
                {props.buckets.map((b) => (
                  <tr>
                    <td>{b.endpointClass}</td>
                    <td class="num">{b.perMinute}</td>
                    <td class="num">{b.burst}</td>
                    <td class="num">{b.remaining}</td>
                    <td class="num">{i18n.seconds(b.resetSeconds)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p></p>
            <ActionForm session={props.session} action="/console/rate-limits/reset">
              <input type="hidden" name="merchantId" value={props.merchantId} />
              <button type="submit">
                {t("rateLimits.refill", { merchant: props.merchantId })}
              </button>
            </ActionForm>
          </>
        )
        : null}
    </Layout>
  );
}
