import type { Diagnosis } from "../../operations/breakers.ts";
import { ActionForm, Badge, Empty, Layout, StatusBadge, type ViewSession } from "../components.tsx";
import { formatPercent } from "../format.ts";
import type { Notice } from "../notice.ts";

export function BreakersPage(
  props: { session: ViewSession; diagnosis: Diagnosis; notice: Notice },
) {
  const d = props.diagnosis;
  return (
    <Layout
      title="Circuit breakers"
      active="/breakers"
      session={props.session}
      notice={props.notice}
    >
      <section class="panel">
        <h3>
          Diagnosis{" "}
          {d.healthy ? <Badge tone="ok">healthy</Badge> : <Badge tone="bad">attention</Badge>}
        </h3>
        <p>{d.summary}</p>
        <p>
          {Object.entries(d.probes).map(([name, result]) => (
            <span title={result}>
              {name}{" "}
              <Badge tone={result === "ok" ? "ok" : "bad"}>{result === "ok" ? "ok" : "down"}</Badge>
              {" "}
            </span>
          ))}
        </p>
      </section>
      <h2>Breakers</h2>
      {d.breakers.length === 0
        ? <Empty>No service reported a breaker (are the services running?).</Empty>
        : (
          <table>
            <thead>
              <tr>
                <th>Service</th>
                <th>Breaker</th>
                <th>State</th>
                <th class="num">Failure rate</th>
                <th>Likely cause</th>
                <th>Force</th>
              </tr>
            </thead>
            <tbody>
              {d.breakers.map((b) => (
                <tr>
                  <td>{b.service}</td>
                  <td>
                    <code>{b.name}</code>
                  </td>
                  <td>
                    <StatusBadge status={b.state} />
                  </td>
                  <td
                    class="num"
                    title={b.windowSeconds ? `last ${b.windowSeconds.toFixed(0)} s` : "since start"}
                  >
                    {formatPercent(b.recentFailureRate)}
                  </td>
                  <td>{b.likelyCause}</td>
                  <td>
                    <ActionForm session={props.session} action="/console/breakers/force">
                      <input type="hidden" name="name" value={b.name} />
                      <input type="hidden" name="service" value={b.service} />
                      <button type="submit" name="action" value="open" class="danger">Open</button>
                      <button type="submit" name="action" value="close" class="secondary">
                        Close
                      </button>
                    </ActionForm>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      {d.servicesDown.length
        ? <p class="muted">Not answering /metrics: {d.servicesDown.join(", ")}</p>
        : null}
    </Layout>
  );
}
