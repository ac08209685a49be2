import { formatMoney } from "@pay/lib/domain";

/** `₩1,690,000`: KRW has no minor unit, so amounts are whole won. */
export function formatKrw(amount: number): string {
  return formatMoney(amount, "KRW");
}
