import { useEffect, useState } from "preact/hooks";
import { formatMoney } from "@pay/lib/i18n/format";
import type { Locale } from "@pay/lib/i18n";

export interface AddToCartProps {
  readonly slug: string;
  readonly price: number;
  readonly currency: string;
  /** Amounts are formatted in the browser in this language (Intl only, no catalog shipped). */
  readonly locale: Locale;
  /** `legend` is the whole "Colour: …" text for that colour, already in the shopper's language. */
  readonly colours: readonly { id: string; name: string; swatchClass: string; legend: string }[];
  readonly quantityMax: number;
  readonly csrfToken: string;
  readonly texts: {
    readonly quantity: string;
    readonly oneLess: string;
    readonly oneMore: string;
    readonly addToCart: string;
  };
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
  const money = (amount: number) => formatMoney(amount, props.currency, props.locale);
  const legend = props.colours.find((c) => c.id === colour)?.legend ?? "";
  const { texts } = props;

  return (
    <form class="buy-form" method="post" action="/cart/add">
      <input type="hidden" name="_csrf" value={props.csrfToken} />
      <input type="hidden" name="slug" value={props.slug} />
      <fieldset class="swatches">
        <legend class="swatches__current">{legend}</legend>
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
        <label for="quantity">{texts.quantity}</label>
        <div class="stepper">
          <button
            type="button"
            class="stepper__button"
            hidden={!enhanced}
            aria-label={texts.oneLess}
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
            aria-label={texts.oneMore}
            disabled={quantity >= props.quantityMax}
            onClick={() => setQuantity(clamp(quantity + 1))}
          >
            +
          </button>
        </div>
      </div>
      <p class="buy-form__total" aria-live="polite">
        {quantity} × {money(props.price)} = <strong>{money(props.price * quantity)}</strong>
      </p>
      <button type="submit" class="button button--primary button--wide">{texts.addToCart}</button>
    </form>
  );
}
