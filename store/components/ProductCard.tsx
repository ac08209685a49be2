import type { Product } from "../catalog/products.ts";
import type { StoreI18n } from "../i18n/i18n.ts";

export function ProductCard({ product, i18n }: { product: Product; i18n: StoreI18n }) {
  return (
    <li class="product-card">
      <a class="product-card__link" href={`/products/${product.slug}`}>
        <img
          class="product-card__image"
          src={product.image}
          alt=""
          width={400}
          height={400}
          loading="lazy"
        />
        <span class="product-card__body">
          <span class="product-card__brand">{product.brand}</span>
          <span class="product-card__name">{product.name}</span>
          <span class="product-card__price">{i18n.money(product.price)}</span>
        </span>
      </a>
      <p class="product-card__summary">{i18n.text(product.summary)}</p>
    </li>
  );
}
