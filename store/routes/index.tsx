import { collections, productsOf } from "../catalog/products.ts";
import { HeroArt } from "../components/HeroArt.tsx";
import { ProductCard } from "../components/ProductCard.tsx";
import type { Handlers, PageProps } from "../server/context.ts";

export const handler: Handlers = {
  GET: (_req, ctx) => ctx.render(undefined, { title: "" }),
};

/** The home page: both collections. Server-rendered only, it ships no JavaScript. */
export default function Home({ i18n }: PageProps) {
  const { t } = i18n;
  return (
    <>
      <section class="hero" aria-labelledby="hero-title">
        <div>
          <p class="eyebrow">{t("home.eyebrow")}</p>
          <h1 id="hero-title">{t("home.title")}</h1>
          <p class="hero__lead">{t("home.lead")}</p>
          <a class="button button--primary" href="#signature-tech">{t("home.cta")}</a>
        </div>
        <HeroArt />
      </section>
      {collections.map((collection) => (
        <section
          class="collection"
          id={collection.id}
          key={collection.id}
          aria-labelledby={`${collection.id}-title`}
        >
          <header class="collection__header">
            <h2 id={`${collection.id}-title`}>{i18n.text(collection.name)}</h2>
            <p>{i18n.text(collection.tagline)}</p>
          </header>
          <ul class="product-grid">
            {productsOf(collection.id).map((product) => (
              <ProductCard key={product.slug} product={product} i18n={i18n} />
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}
