import type { LedgerEntryView } from "@pay/lib/db";
import { formatMoney, formatTime } from "./format.ts";

/**
 * Journal entries as a table, one row per line, the entry's type and time on
 * its first line. `withSourceEvent` adds the event that posted each entry.
 */
export function JournalTable(
  props: { entries: readonly LedgerEntryView[]; withSourceEvent?: boolean },
) {
  return (
    <table>
      <thead>
        <tr>
          <th>Entry</th>
          {props.withSourceEvent ? <th>Source event</th> : null}
          <th>Account</th>
          <th>Direction</th>
          <th class="num">Amount</th>
          <th>At</th>
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
              <td class="num">{formatMoney(line.amount, entry.currency)}</td>
              <td class="t">{i === 0 ? formatTime(entry.createdAt) : ""}</td>
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}
