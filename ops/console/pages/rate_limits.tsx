import type { BlockedEntry, BucketStatus } from "@pay/gateway/rate_limit";
import { ActionForm, Empty, Layout, type ViewSession } from "../components.tsx";
import { formatTime } from "../format.ts";
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
  if (props.notInProfile) {
    return (
      <Layout
        title="Rate limits"
        active="/rate-limits"
        session={props.session}
        notice={props.notice}
      >
        <Empty>{props.notInProfile}</Empty>
      </Layout>
    );
  }
  return (
    <Layout title="Rate limits" active="/rate-limits" session={props.session} notice={props.notice}>
      <h2>Blocked in the last hour</h2>
      {props.blocked.length === 0
        ? <Empty>No merchant was rate limited in the last hour.</Empty>
        : (
          <table>
            <thead>
              <tr>
                <th>Merchant</th>
                <th>Endpoint class</th>
                <th>Last blocked</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              {props.blocked.map((b) => (
                <tr>
                  <td>{b.merchantId}</td>
                  <td>{b.endpointClass}</td>
                  <td class="t">{formatTime(b.lastBlockedAt)}</td>
                  <td>
                    <a href={`/rate-limits?merchantId=${encodeURIComponent(b.merchantId)}`}>
                      buckets
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      <h2>Merchant buckets</h2>
      <form method="get" action="/rate-limits" class="inline">
        <label>
          Merchant<input name="merchantId" value={props.merchantId} placeholder="M123" />
        </label>
        <button type="submit" class="secondary">Show</button>
      </form>
      {props.buckets
        ? (
          <>
            <table>
              <thead>
                <tr>
                  <th>Class</th>
                  <th class="num">Per minute</th>
                  <th class="num">Burst</th>
                  <th class="num">Remaining</th>
                  <th class="num">Full again in</th>
                </tr>
              </thead>
              <tbody>
                {props.buckets.map((b) => (
                  <tr>
                    <td>{b.endpointClass}</td>
                    <td class="num">{b.perMinute}</td>
                    <td class="num">{b.burst}</td>
                    <td class="num">{b.remaining}</td>
                    <td class="num">{b.resetSeconds} s</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p></p>
            <ActionForm session={props.session} action="/console/rate-limits/reset">
              <input type="hidden" name="merchantId" value={props.merchantId} />
              <button type="submit">Refill all buckets of {props.merchantId}</button>
            </ActionForm>
          </>
        )
        : null}
    </Layout>
  );
}
