import { collections, productsOf } from "../catalog/products.ts";
import { HeroArt } from "../components/HeroArt.tsx";
import { ProductCard } from "../components/ProductCard.tsx";
import type { Handlers } from "../server/context.ts";

export const handler: Handlers = {
  GET: (_req, ctx) => ctx.render(undefined, { title: "" }),
};

/** The home page: both collections. Server-rendered only, it ships no JavaScript. */
export default function Home() {
  return (
    <>
      <section class="hero" aria-labelledby="hero-title">
        <div>
          <p class="eyebrow">New season</p>
          <h1 id="hero-title">Considered things, paid for in one tap.</h1>
          <p class="hero__lead">
            Two small collections, picked by hand. Every order is authorized, captured and
            refundable through our own payment platform.
          </p>
          <a class="button button--primary" href="#signature-tech">Shop the collections</a>
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
            <h2 id={`${collection.id}-title`}>{collection.name}</h2>
            <p>{collection.tagline}</p>
          </header>
          <ul class="product-grid">
            {productsOf(collection.id).map((product) => (
              <ProductCard key={product.slug} product={product} />
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}
