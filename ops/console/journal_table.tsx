import type { LedgerEntryView } from "@pay/lib/db";
import type { ConsoleI18n } from "./i18n/i18n.ts";

/**
 * Journal entries as a table, one row per line, the entry's type and time on
 * its first line. `withSourceEvent` adds the event that posted each entry.
 */
export function JournalTable(
  props: { entries: readonly LedgerEntryView[]; withSourceEvent?: boolean; i18n: ConsoleI18n },
) {
  const { i18n } = props;
  const { t } = i18n;
  return (
    <table>
      <thead>
        <tr>
          <th>{t("journal.entry")}</th>
          {props.withSourceEvent ? <th>{t("journal.sourceEvent")}</th> : null}
          <th>{t("journal.account")}</th>
          <th>{t("journal.direction")}</th>
          <th class="num">{t("common.amount")}</th>
          <th>{t("journal.at")}</th>
        </tr>
      </thead>
      <tbody>
        {props.entries.flatMap((entry) =>
          entry.lines.map((line, i) => (
            <tr>
              <td>{i === 0 ? entry.entryType : ""}</td>
              {props.withSourceEvent
                ? <td>{i === 0 ? <code>{entry.sourceEventId}</code> : ""}</td>
                : null}
              <td>
                <code>{line.account}</code>
              </td>
              <td>{line.direction}</td>
              <td class="num">{i18n.money(line.amount, entry.currency)}</td>
              <td class="t">{i === 0 ? i18n.time(entry.createdAt) : ""}</td>
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}
