import { collections, findProduct, type Product } from "../../catalog/products.ts";
import { formatKrw, lineQuantityMax } from "../../cart/cart.ts";
import AddToCart from "../../islands/AddToCart.tsx";
import type { Handlers, PageProps } from "../../server/context.ts";
import { HttpError } from "../../server/http_error.ts";

export const handler: Handlers<Product> = {
  GET(_req, ctx) {
    const product = findProduct(ctx.params.slug ?? "");
    if (!product) throw new HttpError("not_found", `No product called ${ctx.params.slug}`);
    return ctx.render(product, { title: product.name });
  },
};

export default function ProductPage({ data: product, csrfToken }: PageProps<Product>) {
  const collection = collections.find((c) => c.id === product.collectionId);
  return (
    <article class="product" aria-labelledby="product-title">
      <nav class="breadcrumbs" aria-label="Breadcrumb">
        <ol>
          <li>
            <a href="/">Home</a>
          </li>
          <li>
            <a href={`/#${collection?.id}`}>{collection?.name}</a>
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
            alt={`${product.name} illustration`}
            width={560}
            height={560}
          />
        </div>
        <div class="product__info">
          <p class="eyebrow">{product.brand}</p>
          <h1 id="product-title">{product.name}</h1>
          <p class="product__price">{formatKrw(product.price)}</p>
          <p class="product__summary">{product.summary}</p>
          <AddToCart
            slug={product.slug}
            name={product.name}
            price={product.price}
            colours={product.colours.map(({ id, name, swatchClass }) => ({
              id,
              name,
              swatchClass,
            }))}
            quantityMax={lineQuantityMax}
            csrfToken={csrfToken}
          />
          <h2 class="product__details-title">Details</h2>
          <ul class="product__details">
            {product.details.map((d) => <li key={d}>{d}</li>)}
          </ul>
        </div>
      </div>
    </article>
  );
}
