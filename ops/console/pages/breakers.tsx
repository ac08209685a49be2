import type { Diagnosis } from "../../operations/breakers.ts";
import { ActionForm, Badge, Empty, Layout, StatusBadge, type ViewSession } from "../components.tsx";
import type { Notice } from "../notice.ts";

export function BreakersPage(
  props: { session: ViewSession; diagnosis: Diagnosis; notice: Notice },
) {
  const d = props.diagnosis;
  const { i18n } = props.session;
  const { t } = i18n;
  return (
    <Layout
      title={t("breakers.title")}
      active="/breakers"
      session={props.session}
      notice={props.notice}
    >
      <section class="panel">
        <h3>
          {t("breakers.diagnosis")} {d.healthy
            ? <Badge tone="ok">{t("badge.healthy")}</Badge>
            : <Badge tone="bad">{t("badge.attention")}</Badge>}
        </h3>
        <p>{d.summary}</p>
        <p>
          {Object.entries(d.probes).map(([name, result]) => (
            <span title={result}>
              {name}{" "}
              <Badge tone={result === "ok" ? "ok" : "bad"}>
                {result === "ok" ? t("badge.ok") : t("badge.down")}
              </Badge>
              {" "}
            </span>
          ))}
        </p>
      </section>
      <h2>{t("breakers.breakers")}</h2>
      {d.breakers.length === 0 ? <Empty>{t("breakers.none")}</Empty> : (
        <table>
          <thead>
            <tr>
              <th>{t("breakers.service")}</th>
              <th>{t("breakers.breaker")}</th>
              <th>{t("breakers.state")}</th>
              <th class="num">{t("breakers.failureRate")}</th>
              <th>{t("breakers.cause")}</th>
              <th>{t("breakers.force")}</th>
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
                  title={b.windowSeconds
                    ? t("breakers.window", { seconds: Math.round(b.windowSeconds) })
                    : t("breakers.sinceStart")}
                >
                  {i18n.percent(b.recentFailureRate)}
                </td>
                <td>{b.likelyCause}</td>
                <td>
                  <ActionForm session={props.session} action="/console/breakers/force">
                    <input type="hidden" name="name" value={b.name} />
                    <input type="hidden" name="service" value={b.service} />
                    <button type="submit" name="action" value="open" class="danger">
                      {t("breakers.open")}
                    </button>
                    <button type="submit" name="action" value="close" class="secondary">
                      {t("breakers.close")}
                    </button>
                  </ActionForm>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {d.servicesDown.length
        ? (
          <p class="muted">
            {t("breakers.down", { services: d.servicesDown.join(", ") })}
          </p>
        )
        : null}
    </Layout>
  );
}
