import { type Currency, type MinorUnits, minorUnits } from "@pay/lib/domain";

/** Every price in the shop is in this currency (KRW has no minor unit: amounts are whole won). */
export const shopCurrency: Currency = "KRW";

export interface Colour {
  /** Stable id carried in forms and carts. */
  readonly id: string;
  readonly name: string;
  /** CSS class of the swatch (no inline styles: the CSP forbids them). */
  readonly swatchClass: string;
}

export interface Collection {
  readonly id: string;
  readonly name: string;
  readonly tagline: string;
}

export interface Product {
  /** URL segment and cart key. */
  readonly slug: string;
  readonly name: string;
  readonly brand: string;
  readonly collectionId: string;
  readonly price: MinorUnits;
  readonly summary: string;
  readonly details: readonly string[];
  readonly colours: readonly Colour[];
  /** Path of the product illustration under /static. */
  readonly image: string;
}

export const collections: readonly Collection[] = Object.freeze([
  {
    id: "signature-tech",
    name: "Signature Tech",
    tagline: "Flagship devices, chosen for the way they feel in the hand.",
  },
  {
    id: "atelier-living",
    name: "Atelier Living",
    tagline: "Appliances that earn their place on the counter.",
  },
]);

function colour(id: string, name: string): Colour {
  return { id, name, swatchClass: `swatch--${id}` };
}

export const products: readonly Product[] = Object.freeze([
  {
    slug: "iphone-16-pro",
    name: "iPhone 16 Pro",
    brand: "Apple",
    collectionId: "signature-tech",
    price: minorUnits(1_690_000),
    summary: "Titanium design, A18 Pro chip and a 48 MP Fusion camera.",
    details: ["6.3-inch Super Retina XDR display", "256 GB storage", "Camera Control button"],
    colours: [
      colour("desert-titanium", "Desert Titanium"),
      colour("black-titanium", "Black Titanium"),
      colour("natural-titanium", "Natural Titanium"),
    ],
    image: "/static/images/iphone-16-pro.svg",
  },
  {
    slug: "galaxy-s25-ultra",
    name: "Galaxy S25 Ultra",
    brand: "Samsung",
    collectionId: "signature-tech",
    price: minorUnits(1_590_000),
    summary: "A 200 MP camera, a built-in S Pen and Galaxy AI.",
    details: ["6.9-inch Dynamic AMOLED 2X", "256 GB storage", "Titanium frame"],
    colours: [
      colour("titanium-silverblue", "Titanium Silverblue"),
      colour("titanium-black", "Titanium Black"),
      colour("titanium-gray", "Titanium Gray"),
    ],
    image: "/static/images/galaxy-s25-ultra.svg",
  },
  {
    slug: "ipad-pro-13",
    name: 'iPad Pro 13"',
    brand: "Apple",
    collectionId: "signature-tech",
    price: minorUnits(1_840_000),
    summary: "Ultra Retina XDR tandem OLED in a 5.1 mm thin body with the M4 chip.",
    details: ["13-inch tandem OLED display", "256 GB storage", "Wi-Fi 6E"],
    colours: [colour("space-black", "Space Black"), colour("silver", "Silver")],
    image: "/static/images/ipad-pro-13.svg",
  },
  {
    slug: "dyson-gen5",
    name: "Dyson Gen5detect",
    brand: "Dyson",
    collectionId: "atelier-living",
    price: minorUnits(1_290_000),
    summary: "Cordless vacuum with a fluffy optic head that lights up hidden dust.",
    details: ["Up to 70 minutes of run time", "HEPA filtration", "Piezo dust sensor"],
    colours: [colour("purple-purple", "Purple"), colour("nickel-gold", "Nickel/Gold")],
    image: "/static/images/dyson-gen5.svg",
  },
  {
    slug: "balmuda-air-purifier",
    name: "BALMUDA The Pure",
    brand: "BALMUDA",
    collectionId: "atelier-living",
    price: minorUnits(849_000),
    summary: "A tower air purifier that draws air from below and glows softly while it works.",
    details: ["Up to 36 m² rooms", "True HEPA and activated carbon filter", "Quiet night mode"],
    colours: [colour("white", "White"), colour("gray", "Gray")],
    image: "/static/images/balmuda-air-purifier.svg",
  },
  {
    slug: "breville-barista-pro",
    name: "Breville Barista Pro",
    brand: "Breville",
    collectionId: "atelier-living",
    price: minorUnits(1_090_000),
    summary: "Grind, dose and extract café espresso at home, heated in three seconds.",
    details: ["Integrated conical burr grinder", "ThermoJet heating", "LCD shot timer"],
    colours: [
      colour("brushed-steel", "Brushed Stainless Steel"),
      colour("black-truffle", "Black Truffle"),
      colour("sea-salt", "Sea Salt"),
    ],
    image: "/static/images/breville-barista-pro.svg",
  },
]);

const productsBySlug: ReadonlyMap<string, Product> = new Map(products.map((p) => [p.slug, p]));

export function findProduct(slug: string): Product | undefined {
  return productsBySlug.get(slug);
}

export function findColour(product: Product, colourId: string): Colour | undefined {
  return product.colours.find((c) => c.id === colourId);
}

export function productsOf(collectionId: string): Product[] {
  return products.filter((p) => p.collectionId === collectionId);
}
