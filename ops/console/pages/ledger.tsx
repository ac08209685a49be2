import type { LedgerVerification } from "@pay/lib/db";
import type { LedgerLookup } from "../../operations/ledger.ts";
import { Badge, Empty, Kpi, Layout, type ViewSession } from "../components.tsx";
import { JournalTable } from "../journal_table.tsx";

export function LedgerPage(props: {
  session: ViewSession;
  check: LedgerVerification;
  paymentId: string;
  lookup: LedgerLookup | null;
  error?: string;
}) {
  const { check, lookup } = props;
  const { i18n } = props.session;
  const { t } = i18n;
  return (
    <Layout
      title={t("ledger.title")}
      active="/ledger"
      session={props.session}
      notice={props.error ? { text: props.error, bad: true } : null}
    >
      <div class="kpis">
        <Kpi label={t("ledger.entries")} value={check.entries} />
        <Kpi
          label={t("ledger.unbalanced")}
          value={check.unbalancedEntries.length}
          tone={check.unbalancedEntries.length ? "bad" : undefined}
        />
        <Kpi
          label={t("ledger.mismatches")}
          value={check.payableMismatches.length}
          tone={check.payableMismatches.length ? "bad" : undefined}
        />
      </div>
      <p>
        {t("ledger.books")} {check.ok
          ? <Badge tone="ok">{t("badge.balanced")}</Badge>
          : <Badge tone="bad">{t("badge.problems")}</Badge>}{" "}
        <span class="muted">{t("ledger.booksHint")}</span>
      </p>
      {check.unbalancedEntries.length
        ? (
          <table>
            <thead>
              <tr>
                <th>{t("journal.entry")}</th>
                <th>{t("journal.sourceEvent")}</th>
                <th class="num">{t("ledger.net")}</th>
                <th class="num">{t("ledger.lines")}</th>
              </tr>
            </thead>
            <tbody>
              {check.unbalancedEntries.map((e) => (
                <tr>
                  <td>{e.entryId}</td>
                  <td>
                    <code>{e.sourceEventId}</code>
                  </td>
                  <td class="num">{e.net}</td>
                  <td class="num">{e.lineCount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
        : null}
      {check.payableMismatches.length
        ? (
          <table>
            <thead>
              <tr>
                <th>{t("common.merchant")}</th>
                <th class="num">{t("ledger.payable")}</th>
                <th class="num">{t("ledger.expected")}</th>
              </tr>
            </thead>
            <tbody>
              {check.payableMismatches.map((m) => (
                <tr>
                  <td>{m.merchantId}</td>
                  <td class="num">{i18n.money(m.ledgerPayable, m.currency)}</td>
                  <td class="num">{i18n.money(m.expectedPayable, m.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
        : null}
      <h2>{t("ledger.ofPayment")}</h2>
      <form method="get" action="/ledger" class="inline">
        <label>
          {t("common.paymentId")}
          <input
            name="paymentId"
            value={props.paymentId}
            size={34}
            placeholder="pay_..."
          />
        </label>
        <button type="submit" class="secondary">{t("common.lookUp")}</button>
      </form>
      {lookup
        ? lookup.entries.length === 0
          ? <Empty>{t("ledger.noEntries")}</Empty>
          : <JournalTable entries={lookup.entries} i18n={i18n} />
        : null}
    </Layout>
  );
}
