import type { Product } from "../catalog/products.ts";
import { formatKrw } from "../cart/cart.ts";

export function ProductCard({ product }: { product: Product }) {
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
          <span class="product-card__price">{formatKrw(product.price)}</span>
        </span>
      </a>
      <p class="product-card__summary">{product.summary}</p>
    </li>
  );
}
