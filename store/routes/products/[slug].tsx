import { collections, findProduct, type Product, shopCurrency } from "../../catalog/products.ts";
import { lineQuantityMax } from "../../cart/cart.ts";
import { message } from "../../i18n/i18n.ts";
import AddToCart from "../../islands/AddToCart.tsx";
import type { Handlers, PageProps } from "../../server/context.ts";
import { HttpError } from "../../server/http_error.ts";

export const handler: Handlers<Product> = {
  GET(_req, ctx) {
    const slug = ctx.params.slug ?? "";
    const product = findProduct(slug);
    if (!product) {
      throw new HttpError("not_found", message("product.notFound", { slug: slug.slice(0, 60) }));
    }
    return ctx.render(product, { title: product.name });
  },
};

export default function ProductPage({ data: product, csrfToken, i18n }: PageProps<Product>) {
  const { t } = i18n;
  const collection = collections.find((c) => c.id === product.collectionId);
  return (
    <article class="product" aria-labelledby="product-title">
      <nav class="breadcrumbs" aria-label={t("product.breadcrumb")}>
        <ol>
          <li>
            <a href="/">{t("product.home")}</a>
          </li>
          <li>
            <a href={`/#${collection?.id}`}>{collection && i18n.text(collection.name)}</a>
          </li>
          <li>
            <span aria-current="page">{product.name}</span>
          </li>
        </ol>
      </nav>
      <div class="product__layout">
        <div class="product__media">
          <img
            src={product.image}
            alt={t("product.imageAlt", { name: product.name })}
            width={560}
            height={560}
          />
        </div>
        <div class="product__info">
          <p class="eyebrow">{product.brand}</p>
          <h1 id="product-title">{product.name}</h1>
          <p class="product__price">{i18n.money(product.price)}</p>
          <p class="product__summary">{i18n.text(product.summary)}</p>
          <AddToCart
            slug={product.slug}
            price={product.price}
            currency={shopCurrency}
            locale={i18n.locale}
            colours={product.colours.map(({ id, name, swatchClass }) => ({
              id,
              name: i18n.text(name),
              swatchClass,
              legend: t("product.colourLegend", { colour: i18n.text(name) }),
            }))}
            quantityMax={lineQuantityMax}
            csrfToken={csrfToken}
            texts={{
              quantity: t("product.quantity"),
              oneLess: t("product.oneLess"),
              oneMore: t("product.oneMore"),
              addToCart: t("product.addToCart"),
            }}
          />
          <h2 class="product__details-title">{t("product.details")}</h2>
          <ul class="product__details">
            {product.details.map((d) => <li key={d.en}>{i18n.text(d)}</li>)}
          </ul>
        </div>
      </div>
    </article>
  );
}
