import { localeNames, locales } from "@pay/lib/i18n";
import type { AppProps } from "../server/context.ts";
import { shopName } from "../components/brand.ts";
import { collections } from "../catalog/products.ts";

/** The current page in another language (`?lang=` is remembered in a cookie). */
function inLanguage(url: URL, locale: string): string {
  const target = new URLSearchParams(url.search);
  target.set("lang", locale);
  return `${url.pathname}?${target}`;
}

/** The document shell around every page: landmarks, skip link, navigation, language, footer. */
export default function App({ title, url, cartCount, stylesheet, i18n, children }: AppProps) {
  const { t } = i18n;
  const current = (path: string) => url.pathname === path ? "page" : undefined;
  return (
    <html lang={i18n.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title ? t("shell.title", { page: title, shop: shopName }) : shopName}</title>
        <meta name="description" content={t("shell.description")} />
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href={stylesheet} />
      </head>
      <body>
        <a class="skip-link" href="#main">{t("shell.skipLink")}</a>
        <header class="site-header">
          <div class="container site-header__inner">
            <a class="brand" href="/" aria-current={current("/")}>
              <svg class="brand__mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
                <rect width="32" height="32" rx="8" fill="#14213d" />
                <path
                  d="M9 20.5c1.6 1.4 3.9 2.2 6.4 2.2 3.5 0 5.8-1.6 5.8-4.1 0-5.2-10.6-3-10.6-8 0-2.3 2.2-3.9 5.3-3.9 2.1 0 4 .6 5.4 1.7"
                  fill="none"
                  stroke="#fca311"
                  stroke-width="2.6"
                  stroke-linecap="round"
                />
              </svg>
              <span>{shopName}</span>
            </a>
            <nav class="site-nav" aria-label={t("shell.navLabel")}>
              <ul>
                {collections.map((c) => (
                  <li key={c.id}>
                    <a href={`/#${c.id}`}>{i18n.text(c.name)}</a>
                  </li>
                ))}
                <li>
                  <a href="/orders" aria-current={current("/orders")}>{t("shell.orders")}</a>
                </li>
                <li>
                  <a class="cart-link" href="/cart" aria-current={current("/cart")}>
                    {t("shell.cart")}
                    <span class="cart-link__count" aria-hidden="true">{cartCount}</span>
                    <span class="visually-hidden">
                      {t("shell.cartCount", { count: cartCount })}
                    </span>
                  </a>
                </li>
              </ul>
            </nav>
            <nav class="language-switch" aria-label={t("shell.language")}>
              {locales.map((locale) => (
                <a
                  key={locale}
                  href={inLanguage(url, locale)}
                  lang={locale}
                  hrefLang={locale}
                  aria-current={locale === i18n.locale ? "true" : undefined}
                >
                  {localeNames[locale]}
                </a>
              ))}
            </nav>
          </div>
        </header>
        <main id="main" class="container" tabIndex={-1}>{children}</main>
        <footer class="site-footer">
          <div class="container">
            <p>{t("shell.footerDemo")}</p>
            <p>{t("shell.footerVat")}</p>
          </div>
        </footer>
      </body>
    </html>
  );
}
