import type { LedgerVerification } from "@pay/lib/db";
import type { LedgerLookup } from "../../operations/ledger.ts";
import { Badge, Empty, Kpi, Layout, type ViewSession } from "../components.tsx";
import { formatMoney } from "../format.ts";
import { JournalTable } from "../journal_table.tsx";

export function LedgerPage(props: {
  session: ViewSession;
  check: LedgerVerification;
  paymentId: string;
  lookup: LedgerLookup | null;
  error?: string;
}) {
  const { check, lookup } = props;
  return (
    <Layout
      title="Ledger"
      active="/ledger"
      session={props.session}
      notice={props.error ? { text: props.error, bad: true } : null}
    >
      <div class="kpis">
        <Kpi label="journal entries" value={check.entries} />
        <Kpi
          label="unbalanced entries"
          value={check.unbalancedEntries.length}
          tone={check.unbalancedEntries.length ? "bad" : undefined}
        />
        <Kpi
          label="payable mismatches"
          value={check.payableMismatches.length}
          tone={check.payableMismatches.length ? "bad" : undefined}
        />
      </div>
      <p>
        Books:{" "}
        {check.ok ? <Badge tone="ok">balanced</Badge> : <Badge tone="bad">problems found</Badge>}
        {" "}
        <span class="muted">
          Every entry balances and each merchant_payable equals captured − refunded. Right after a
          capture the ledger may trail the payments briefly.
        </span>
      </p>
      {check.unbalancedEntries.length
        ? (
          <table>
            <thead>
              <tr>
                <th>Entry</th>
                <th>Source event</th>
                <th class="num">Debits − credits</th>
                <th class="num">Lines</th>
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
                <th>Merchant</th>
                <th class="num">Ledger payable</th>
                <th class="num">Captured − refunded</th>
              </tr>
            </thead>
            <tbody>
              {check.payableMismatches.map((m) => (
                <tr>
                  <td>{m.merchantId}</td>
                  <td class="num">{formatMoney(m.ledgerPayable, m.currency)}</td>
                  <td class="num">{formatMoney(m.expectedPayable, m.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
        : null}
      <h2>Entries of a payment</h2>
      <form method="get" action="/ledger" class="inline">
        <label>
          Payment id<input
            name="paymentId"
            value={props.paymentId}
            size={34}
            placeholder="pay_..."
          />
        </label>
        <button type="submit" class="secondary">Look up</button>
      </form>
      {lookup
        ? lookup.entries.length === 0
          ? <Empty>No entries for this payment.</Empty>
          : <JournalTable entries={lookup.entries} />
        : null}
    </Layout>
  );
}
