import type { AppProps } from "../server/context.ts";
import { shopName } from "../components/brand.ts";
import { collections } from "../catalog/products.ts";

/** The document shell around every page: landmarks, skip link, navigation, footer. */
export default function App({ title, url, cartCount, stylesheet, children }: AppProps) {
  const current = (path: string) => url.pathname === path ? "page" : undefined;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title ? `${title} · ${shopName}` : shopName}</title>
        <meta
          name="description"
          content="Signature Tech and Atelier Living, paid through the SWElite payment platform."
        />
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href={stylesheet} />
      </head>
      <body>
        <a class="skip-link" href="#main">Skip to main content</a>
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
            <nav class="site-nav" aria-label="Main">
              <ul>
                {collections.map((c) => (
                  <li key={c.id}>
                    <a href={`/#${c.id}`}>{c.name}</a>
                  </li>
                ))}
                <li>
                  <a href="/orders" aria-current={current("/orders")}>Orders</a>
                </li>
                <li>
                  <a class="cart-link" href="/cart" aria-current={current("/cart")}>
                    Cart
                    <span class="cart-link__count">
                      {cartCount}
                      <span class="visually-hidden">{cartCount === 1 ? " item" : " items"}</span>
                    </span>
                  </a>
                </li>
              </ul>
            </nav>
          </div>
        </header>
        <main id="main" class="container" tabIndex={-1}>{children}</main>
        <footer class="site-footer">
          <div class="container">
            <p>
              A demonstration shop: payments use test cards and never move real money.
            </p>
            <p>Prices include VAT. Free delivery across Korea.</p>
          </div>
        </footer>
      </body>
    </html>
  );
}
