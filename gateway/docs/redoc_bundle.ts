/**
 * Redoc's standalone bundle from the `redoc` npm package pinned in deno.json
 * (installed into node_modules by `deno install`), read once and kept.
 */
const bundleUrl = new URL("../../node_modules/redoc/bundles/redoc.standalone.js", import.meta.url);

/** How long browsers may keep the bundle: it changes only with the pinned version. */
const bundleCacheSeconds = 86_400;

let bundle: Promise<Uint8Array<ArrayBuffer>> | undefined;

/** The bundle as a JavaScript response; a missing package is an error naming the fix. */
export async function redocBundleResponse(): Promise<Response> {
  bundle ??= Deno.readFile(bundleUrl).catch((error) => {
    bundle = undefined;
    throw new Error(
      `Redoc bundle not found: ${bundleUrl.pathname} (run deno install): ${String(error)}`,
    );
  });
  return new Response(await bundle, {
    headers: {
      "Content-Type": "text/javascript; charset=utf-8",
      "Cache-Control": `public, max-age=${bundleCacheSeconds}`,
    },
  });
}
