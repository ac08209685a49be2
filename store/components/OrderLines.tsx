import { formatKrw } from "../cart/cart.ts";

export interface OrderLineView {
  readonly key: string;
  readonly name: string;
  readonly colourName: string;
  readonly quantity: number;
  readonly unitPrice: number;
  readonly image?: string;
}

/** A read-only table of bought lines with their total (checkout and order pages). */
export function OrderLines(
  { caption, lines, total }: { caption: string; lines: readonly OrderLineView[]; total: number },
) {
  return (
    <table class="lines">
      <caption class="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Item</th>
          <th scope="col" class="num">Qty</th>
          <th scope="col" class="num">Amount</th>
        </tr>
      </thead>
      <tbody>
        {lines.map((l) => (
          <tr key={l.key}>
            <th scope="row">
              <span class="lines__name">{l.name}</span>
              <span class="lines__meta">{l.colourName} · {formatKrw(l.unitPrice)} each</span>
            </th>
            <td class="num">{l.quantity}</td>
            <td class="num">{formatKrw(l.unitPrice * l.quantity)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={2}>Total</th>
          <td class="num lines__total">{formatKrw(total)}</td>
        </tr>
      </tfoot>
    </table>
  );
}
