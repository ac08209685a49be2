/**
 * One request's language: the translator over the shop's catalogs and the
 * formatters of amounts, times and lists, handed to pages as `i18n`.
 */
import {
  type Catalogs,
  chooseLocale,
  createTranslator,
  formatDateTime,
  formatMoney,
  intlLocales,
  type Locale,
  localeCookieHeader,
  type Message,
  type MessageValues,
} from "@pay/lib/i18n";
import { shopCurrency } from "../catalog/products.ts";
import { en, type StoreMessageKey } from "./en.ts";
import { ko } from "./ko.ts";

export type { StoreMessageKey };

export const storeCatalogs: Catalogs<typeof en> = { en, ko };

/** A text to show later in the reader's language (errors raised deep in a handler). */
export type StoreMessage = Message<StoreMessageKey>;

export function message(key: StoreMessageKey, values?: MessageValues): StoreMessage {
  return values === undefined ? { key } : { key, values };
}

/** Text in each language (product content lives with the products, not in the catalogs). */
export type LocalizedText = Readonly<Record<Locale, string>>;

export interface StoreI18n {
  readonly locale: Locale;
  readonly timeZone: string;
  t(key: StoreMessageKey, values?: MessageValues): string;
  /** A message raised as data (`message(...)`). */
  say(message: StoreMessage): string;
  /** Minor units of `currency` (the shop's by default) as this language writes them. */
  money(amountMinor: number, currency?: string): string;
  /** An instant in the shop's time zone, the zone named. */
  time(value: Date | string): string;
  /** `a, b and c` as this language joins a list. */
  list(items: readonly string[]): string;
  text(localized: LocalizedText): string;
}

export function createStoreI18n(locale: Locale, timeZone: string): StoreI18n {
  const t = createTranslator(storeCatalogs, locale);
  const lists = new Intl.ListFormat(intlLocales[locale], { style: "short", type: "unit" });
  return {
    locale,
    timeZone,
    t,
    say: (m) => t(m.key, m.values),
    money: (amountMinor, currency = shopCurrency) => formatMoney(amountMinor, currency, locale),
    time: (value) => formatDateTime(value, locale, timeZone),
    list: (items) => lists.format(items),
    text: (localized) => localized[locale],
  };
}

/** The cookie that remembers a shopper's language choice. */
export const languageCookieName = "store_lang";

/**
 * Shoppers whose browser asks for none of the shop's languages read English;
 * a Korean browser (`ko`, `ko-KR`) gets Korean.
 */
export const storeLocaleFallback: Locale = "en";

/** The request's language and, when a `?lang=` link chose it anew, the cookie to remember it. */
export function requestLocale(
  request: Request,
  url: URL,
  languageCookie: string | undefined,
  secureCookie: boolean,
): { locale: Locale; setCookie?: string } {
  const { locale, remember } = chooseLocale({
    query: url.searchParams.get("lang"),
    cookie: languageCookie,
    acceptLanguage: request.headers.get("accept-language"),
  }, storeLocaleFallback);
  return remember
    ? { locale, setCookie: localeCookieHeader(languageCookieName, locale, secureCookie) }
    : { locale };
}
