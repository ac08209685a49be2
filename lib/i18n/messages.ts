/**
 * Message catalogs in ICU MessageFormat (plurals, selects, numbers), read
 * with `intl-messageformat`. A catalog is one object per language with the
 * same keys; `Catalogs<typeof en>` makes the compiler hold the others to them.
 */
import { IntlMessageFormat } from "intl-messageformat";
import { intlLocales } from "./format.ts";
import type { Locale } from "./locale.ts";

export type Catalog = Readonly<Record<string, string>>;

/** Every language's catalog, each with exactly the keys of `C`. */
export type Catalogs<C extends Catalog> = Readonly<
  Record<Locale, Readonly<Record<keyof C, string>>>
>;

export type MessageValues = Readonly<Record<string, string | number | Date>>;

/** A message to show later, in whatever language the reader gets. */
export interface Message<K extends string = string> {
  readonly key: K;
  readonly values?: MessageValues;
}

export type Translate<K extends string> = (key: K, values?: MessageValues) => string;

/** `t(key, values)` over `catalogs[locale]`; each message is parsed once per language. */
export function createTranslator<C extends Catalog>(
  catalogs: Catalogs<C>,
  locale: Locale,
): Translate<keyof C & string> {
  const cache = compiled(catalogs, locale);
  return (key, values) => {
    let format = cache.get(key);
    if (!format) {
      const text = catalogs[locale][key];
      if (text === undefined) throw new Error(`No message in the ${locale} catalog: ${key}`);
      format = new IntlMessageFormat(text, intlLocales[locale]);
      cache.set(key, format);
    }
    return String(format.format(values as Record<string, string | number | Date> | undefined));
  };
}

const formatCaches = new WeakMap<object, Map<Locale, Map<string, IntlMessageFormat>>>();

function compiled(catalogs: object, locale: Locale): Map<string, IntlMessageFormat> {
  let byLocale = formatCaches.get(catalogs);
  if (!byLocale) formatCaches.set(catalogs, byLocale = new Map());
  let cache = byLocale.get(locale);
  if (!cache) byLocale.set(locale, cache = new Map());
  return cache;
}

/** Parses every message of every catalog: a broken one fails a test, not a page view. */
export function checkCatalogs(catalogs: Catalogs<Catalog>): string[] {
  const problems: string[] = [];
  for (const [locale, catalog] of Object.entries(catalogs) as [Locale, Catalog][]) {
    for (const [key, text] of Object.entries(catalog)) {
      try {
        new IntlMessageFormat(text, intlLocales[locale]);
      } catch (error) {
        problems.push(`${locale} ${key}: ${error instanceof Error ? error.message : error}`);
      }
    }
  }
  return problems;
}
