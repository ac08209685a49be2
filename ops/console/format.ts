import { currencyExponent, isCurrency } from "@pay/lib/domain";

/** Minor units shown in major units with the currency, e.g. `12.50 USD`, `10,000 KRW`. */
export function formatMoney(amount: number, currency: string): string {
  const exponent = isCurrency(currency) ? currencyExponent(currency) : 0;
  const major = amount / 10 ** exponent;
  return `${
    major.toLocaleString("en-US", {
      minimumFractionDigits: exponent,
      maximumFractionDigits: exponent,
    })
  } ${currency}`;
}

/** `2025-01-31 12:00:00Z` (UTC, seconds), or a dash. */
export function formatTime(value: Date | string | null | undefined): string {
  if (value === null || value === undefined) return "-";
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return "-";
  return date.toISOString().replace("T", " ").replace(/\.\d{3}Z$/, "Z");
}

export function formatPercent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? "-" : `${(rate * 100).toFixed(rate < 0.1 ? 1 : 0)}%`;
}

export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return "-";
  if (seconds < 1) return `${(seconds * 1000).toFixed(seconds < 0.01 ? 1 : 0)} ms`;
  if (seconds < 120) return `${seconds.toFixed(1)} s`;
  if (seconds < 7200) return `${(seconds / 60).toFixed(0)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

export function formatRate(perSecond: number): string {
  return perSecond >= 100 ? `${perSecond.toFixed(0)}/s` : `${perSecond.toFixed(1)}/s`;
}
