/**
 * Prints the JavaScript each page ships (minified and gzipped), measured
 * from the pages the real app serves: every <script src> and modulepreload
 * of the page, fetched and counted. Exits 1 when a page is over budget.
 *
 *   deno run -A store/tools/js_budget.ts
 */
import { buildIslands } from "../build/build_islands.ts";
import { buildDir, buildPublicPath, storeDir } from "../server/create_store.ts";
import { placeOrder, Shopper, startStoreHarness } from "../testing/harness.ts";
import { pageJsBytesMax } from "./js_budget_limit.ts";

async function gzipSize(bytes: Uint8Array<ArrayBuffer>): Promise<number> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"));
  return (await new Response(stream).arrayBuffer()).byteLength;
}

const { manifest } = await buildIslands({
  storeDir,
  outDir: buildDir,
  publicPath: buildPublicPath,
});
const store = await startStoreHarness({ manifest });
try {
  const shopper = new Shopper(store.handler);
  const orderPath = await placeOrder(shopper);
  await shopper.post("/cart/add", {
    _csrf: (await shopper.page("/products/iphone-16-pro")).csrf,
    slug: "iphone-16-pro",
    colour: "black-titanium",
    quantity: "1",
  });
  const pages = [
    ["home", "/"],
    ["product", "/products/iphone-16-pro"],
    ["cart", "/cart"],
    ["checkout", "/checkout"],
    ["order", orderPath],
    ["orders", "/orders"],
  ];
  let over = false;
  console.log("page       scripts  minified B  gzip B");
  for (const [name, path] of pages) {
    const { html } = await shopper.page(path!);
    const urls = [
      ...html.matchAll(/<script type="module" src="([^"]+)"/g),
      ...html.matchAll(/<link rel="modulepreload" href="([^"]+)"/g),
    ].map((m) => m[1]!);
    let bytes = 0;
    let gzipped = 0;
    for (const url of new Set(urls)) {
      const body = new Uint8Array(await (await shopper.get(url)).arrayBuffer());
      bytes += body.length;
      gzipped += await gzipSize(body);
    }
    over ||= bytes > pageJsBytesMax;
    console.log(
      `${name!.padEnd(10)} ${String(urls.length).padStart(7)}  ${String(bytes).padStart(10)}  ${
        String(gzipped).padStart(6)
      }${bytes > pageJsBytesMax ? "  OVER BUDGET" : ""}`,
    );
  }
  console.log(`budget: ${pageJsBytesMax} bytes of minified JavaScript per page`);
  if (over) Deno.exitCode = 1;
} finally {
  await store.close();
}
