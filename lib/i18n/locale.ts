/**
 * Which language a page is shown in: an explicit choice (a `?lang=` link,
 * then remembered in a cookie) wins over the browser's Accept-Language.
 */

/** The languages the shop and the console are written in. */
export const locales = ["ko", "en"] as const;

export type Locale = typeof locales[number];

/** Each language's name in itself, as a language switch shows it. */
export const localeNames: Readonly<Record<Locale, string>> = { ko: "한국어", en: "English" };

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (locales as readonly string[]).includes(value);
}

/** How long a chosen language is remembered: a year, like most shops keep it. */
export const localeCookieMaxAgeSeconds = 365 * 86_400;

/** Accept-Language entries read at most: real browsers send a handful. */
const acceptLanguageEntriesMax = 20;

/**
 * The supported language the browser prefers most (RFC 9110 quality values;
 * `ko-KR` matches `ko`), or `fallback` when it names none of them.
 */
export function negotiateLocale(acceptLanguage: string | null, fallback: Locale): Locale {
  const ranked = (acceptLanguage ?? "").split(",").slice(0, acceptLanguageEntriesMax)
    .map((entry, index) => {
      const [tag = "", ...params] = entry.trim().split(";");
      const q = params.map((p) => /^\s*q=([01](?:\.\d{0,3})?)\s*$/.exec(p)?.[1]).find(Boolean);
      return { language: tag.trim().toLowerCase().split("-")[0], q: q ? Number(q) : 1, index };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked.map((entry) => entry.language).find(isLocale) ?? fallback;
}

export interface LocaleSources {
  /** The `lang` query parameter of the request (a language link). */
  readonly query: string | null;
  /** The language cookie's value. */
  readonly cookie: string | undefined;
  readonly acceptLanguage: string | null;
}

/** The page's language and whether the choice is new (then the cookie is set). */
export function chooseLocale(
  sources: LocaleSources,
  fallback: Locale,
): { locale: Locale; remember: boolean } {
  if (isLocale(sources.query)) {
    return { locale: sources.query, remember: sources.query !== sources.cookie };
  }
  if (isLocale(sources.cookie)) return { locale: sources.cookie, remember: false };
  return { locale: negotiateLocale(sources.acceptLanguage, fallback), remember: false };
}

/** The `Set-Cookie` value that remembers `locale` under `name`. */
export function localeCookieHeader(name: string, locale: Locale, secure = false): string {
  return [
    `${name}=${locale}`,
    "Path=/",
    "SameSite=Lax",
    `Max-Age=${localeCookieMaxAgeSeconds}`,
    ...(secure ? ["Secure"] : []),
  ].join("; ");
}
