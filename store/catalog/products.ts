import { type Currency, type MinorUnits, minorUnits } from "@pay/lib/domain";
import type { LocalizedText } from "../i18n/i18n.ts";

/** Every price in the shop is in this currency (KRW has no minor unit: amounts are whole won). */
export const shopCurrency: Currency = "KRW";

export interface Colour {
  /** Stable id carried in forms and carts. */
  readonly id: string;
  readonly name: LocalizedText;
  /** CSS class of the swatch (no inline styles: the CSP forbids them). */
  readonly swatchClass: string;
}

export interface Collection {
  readonly id: string;
  readonly name: LocalizedText;
  readonly tagline: LocalizedText;
}

export interface Product {
  /** URL segment and cart key. */
  readonly slug: string;
  readonly name: string;
  readonly brand: string;
  readonly collectionId: string;
  readonly price: MinorUnits;
  readonly summary: LocalizedText;
  readonly details: readonly LocalizedText[];
  readonly colours: readonly Colour[];
  /** Path of the product illustration under /static. */
  readonly image: string;
}

export const collections: readonly Collection[] = Object.freeze([
  {
    id: "signature-tech",
    name: { en: "Signature Tech", ko: "시그니처 테크" },
    tagline: {
      en: "Flagship devices, chosen for the way they feel in the hand.",
      ko: "손에 쥐었을 때의 느낌까지 생각해 고른 플래그십 기기.",
    },
  },
  {
    id: "atelier-living",
    name: { en: "Atelier Living", ko: "아틀리에 리빙" },
    tagline: {
      en: "Appliances that earn their place on the counter.",
      ko: "주방과 거실에 둘 만한 가치가 있는 가전.",
    },
  },
]);

function colour(id: string, en: string, ko: string): Colour {
  return { id, name: { en, ko }, swatchClass: `swatch--${id}` };
}

export const products: readonly Product[] = Object.freeze([
  {
    slug: "iphone-16-pro",
    name: "iPhone 16 Pro",
    brand: "Apple",
    collectionId: "signature-tech",
    price: minorUnits(1_690_000),
    summary: {
      en: "Titanium design, A18 Pro chip and a 48 MP Fusion camera.",
      ko: "티타늄 디자인, A18 Pro 칩, 48MP 퓨전 카메라.",
    },
    details: [
      { en: "6.3-inch Super Retina XDR display", ko: "6.3형 Super Retina XDR 디스플레이" },
      { en: "256 GB storage", ko: "256GB 저장 용량" },
      { en: "Camera Control button", ko: "카메라 컨트롤 버튼" },
    ],
    colours: [
      colour("desert-titanium", "Desert Titanium", "데저트 티타늄"),
      colour("black-titanium", "Black Titanium", "블랙 티타늄"),
      colour("natural-titanium", "Natural Titanium", "내추럴 티타늄"),
    ],
    image: "/static/images/iphone-16-pro.svg",
  },
  {
    slug: "galaxy-s25-ultra",
    name: "Galaxy S25 Ultra",
    brand: "Samsung",
    collectionId: "signature-tech",
    price: minorUnits(1_590_000),
    summary: {
      en: "A 200 MP camera, a built-in S Pen and Galaxy AI.",
      ko: "2억 화소 카메라, 내장 S펜, 갤럭시 AI.",
    },
    details: [
      { en: "6.9-inch Dynamic AMOLED 2X", ko: "6.9형 Dynamic AMOLED 2X" },
      { en: "256 GB storage", ko: "256GB 저장 용량" },
      { en: "Titanium frame", ko: "티타늄 프레임" },
    ],
    colours: [
      colour("titanium-silverblue", "Titanium Silverblue", "티타늄 실버블루"),
      colour("titanium-black", "Titanium Black", "티타늄 블랙"),
      colour("titanium-gray", "Titanium Gray", "티타늄 그레이"),
    ],
    image: "/static/images/galaxy-s25-ultra.svg",
  },
  {
    slug: "ipad-pro-13",
    name: 'iPad Pro 13"',
    brand: "Apple",
    collectionId: "signature-tech",
    price: minorUnits(1_840_000),
    summary: {
      en: "Ultra Retina XDR tandem OLED in a 5.1 mm thin body with the M4 chip.",
      ko: "M4 칩을 품은 5.1mm 두께에 울트라 Retina XDR 탠덤 OLED.",
    },
    details: [
      { en: "13-inch tandem OLED display", ko: "13형 탠덤 OLED 디스플레이" },
      { en: "256 GB storage", ko: "256GB 저장 용량" },
      { en: "Wi-Fi 6E", ko: "Wi-Fi 6E" },
    ],
    colours: [
      colour("space-black", "Space Black", "스페이스 블랙"),
      colour("silver", "Silver", "실버"),
    ],
    image: "/static/images/ipad-pro-13.svg",
  },
  {
    slug: "dyson-gen5",
    name: "Dyson Gen5detect",
    brand: "Dyson",
    collectionId: "atelier-living",
    price: minorUnits(1_290_000),
    summary: {
      en: "Cordless vacuum with a fluffy optic head that lights up hidden dust.",
      ko: "숨은 먼지까지 비춰 주는 플러피 옵틱 헤드를 갖춘 무선 청소기.",
    },
    details: [
      { en: "Up to 70 minutes of run time", ko: "최대 70분 사용" },
      { en: "HEPA filtration", ko: "HEPA 필터" },
      { en: "Piezo dust sensor", ko: "피에조 먼지 감지 센서" },
    ],
    colours: [
      colour("purple-purple", "Purple", "퍼플"),
      colour("nickel-gold", "Nickel/Gold", "니켈/골드"),
    ],
    image: "/static/images/dyson-gen5.svg",
  },
  {
    slug: "balmuda-air-purifier",
    name: "BALMUDA The Pure",
    brand: "BALMUDA",
    collectionId: "atelier-living",
    price: minorUnits(849_000),
    summary: {
      en: "A tower air purifier that draws air from below and glows softly while it works.",
      ko: "아래에서 공기를 빨아들이고, 작동하는 동안 은은하게 빛나는 타워형 공기청정기.",
    },
    details: [
      { en: "Up to 36 m² rooms", ko: "최대 36m² 공간" },
      { en: "True HEPA and activated carbon filter", ko: "True HEPA 필터와 활성탄 필터" },
      { en: "Quiet night mode", ko: "조용한 야간 모드" },
    ],
    colours: [colour("white", "White", "화이트"), colour("gray", "Gray", "그레이")],
    image: "/static/images/balmuda-air-purifier.svg",
  },
  {
    slug: "breville-barista-pro",
    name: "Breville Barista Pro",
    brand: "Breville",
    collectionId: "atelier-living",
    price: minorUnits(1_090_000),
    summary: {
      en: "Grind, dose and extract café espresso at home, heated in three seconds.",
      ko: "분쇄부터 추출까지 집에서 즐기는 카페 에스프레소. 3초 만에 예열됩니다.",
    },
    details: [
      { en: "Integrated conical burr grinder", ko: "일체형 코니컬 버 그라인더" },
      { en: "ThermoJet heating", ko: "ThermoJet 가열 시스템" },
      { en: "LCD shot timer", ko: "LCD 추출 타이머" },
    ],
    colours: [
      colour("brushed-steel", "Brushed Stainless Steel", "브러시드 스테인리스 스틸"),
      colour("black-truffle", "Black Truffle", "블랙 트러플"),
      colour("sea-salt", "Sea Salt", "씨 솔트"),
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

/** A bought line's colour in `locale`, or the name it was bought under when the catalog lost it. */
export function colourNameOf(
  line: { readonly slug: string; readonly colourId: string; readonly colourName: string },
  text: (localized: LocalizedText) => string,
): string {
  const product = findProduct(line.slug);
  const colour = product && findColour(product, line.colourId);
  return colour ? text(colour.name) : line.colourName;
}
