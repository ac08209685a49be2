import type { StoreI18n } from "../i18n/i18n.ts";

export interface OrderLineView {
  readonly key: string;
  readonly name: string;
  readonly colourName: string;
  readonly quantity: number;
  readonly unitPrice: number;
}

/** A read-only table of bought lines with their total (checkout and order pages). */
export function OrderLines(
  { caption, lines, total, i18n }: {
    caption: string;
    lines: readonly OrderLineView[];
    total: number;
    i18n: StoreI18n;
  },
) {
  const { t } = i18n;
  return (
    <table class="lines">
      <caption class="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t("lines.item")}</th>
          <th scope="col" class="num">{t("lines.quantity")}</th>
          <th scope="col" class="num">{t("lines.amount")}</th>
        </tr>
      </thead>
      <tbody>
        {lines.map((l) => (
          <tr key={l.key}>
            <th scope="row">
              <span class="lines__name">{l.name}</span>
              <span class="lines__meta">
                {t("cart.lineMeta", { colour: l.colourName, price: i18n.money(l.unitPrice) })}
              </span>
            </th>
            <td class="num">{l.quantity}</td>
            <td class="num">{i18n.money(l.unitPrice * l.quantity)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={2}>{t("lines.total")}</th>
          <td class="num lines__total">{i18n.money(total)}</td>
        </tr>
      </tfoot>
    </table>
  );
}
