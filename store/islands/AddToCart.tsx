import { useEffect, useState } from "preact/hooks";
import { formatKrw } from "../client/format.ts";

export interface AddToCartProps {
  readonly slug: string;
  readonly name: string;
  readonly price: number;
  readonly colours: readonly { id: string; name: string; swatchClass: string }[];
  readonly quantityMax: number;
  readonly csrfToken: string;
}

/**
 * The buy form. Without JavaScript it is a plain form that posts; hydrated,
 * it adds a quantity stepper, names the chosen colour and shows the total.
 */
export default function AddToCart(props: AddToCartProps) {
  const [colour, setColour] = useState(props.colours[0]?.id ?? "");
  const [quantity, setQuantity] = useState(1);
  const [enhanced, setEnhanced] = useState(false);
  useEffect(() => setEnhanced(true), []);

  const clamp = (n: number) => Math.min(props.quantityMax, Math.max(1, Math.trunc(n) || 1));
  const colourName = props.colours.find((c) => c.id === colour)?.name ?? "";

  return (
    <form class="buy-form" method="post" action="/cart/add">
      <input type="hidden" name="_csrf" value={props.csrfToken} />
      <input type="hidden" name="slug" value={props.slug} />
      <fieldset class="swatches">
        <legend>
          Colour: <span class="swatches__current">{colourName}</span>
        </legend>
        <div class="swatches__options">
          {props.colours.map((c) => (
            <label class="swatch-option" key={c.id}>
              <input
                type="radio"
                name="colour"
                value={c.id}
                checked={c.id === colour}
                onChange={() => setColour(c.id)}
              />
              <span class={`swatch ${c.swatchClass}`} aria-hidden="true" />
              <span class="swatch-option__name">{c.name}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <div class="quantity">
        <label for="quantity">Quantity</label>
        <div class="stepper">
          <button
            type="button"
            class="stepper__button"
            hidden={!enhanced}
            aria-label="One less"
            disabled={quantity <= 1}
            onClick={() => setQuantity(clamp(quantity - 1))}
          >
            −
          </button>
          <input
            id="quantity"
            name="quantity"
            type="number"
            inputMode="numeric"
            min={1}
            max={props.quantityMax}
            value={quantity}
            onInput={(e) => setQuantity(clamp(Number(e.currentTarget.value)))}
          />
          <button
            type="button"
            class="stepper__button"
            hidden={!enhanced}
            aria-label="One more"
            disabled={quantity >= props.quantityMax}
            onClick={() => setQuantity(clamp(quantity + 1))}
          >
            +
          </button>
        </div>
      </div>
      <p class="buy-form__total" aria-live="polite">
        {quantity} × {formatKrw(props.price)} = <strong>{formatKrw(props.price * quantity)}</strong>
      </p>
      <button type="submit" class="button button--primary button--wide">Add to cart</button>
    </form>
  );
}
