/** `deno task store:build`: bundles the islands into store/static/build/. */
import { buildIslands } from "../build/build_islands.ts";
import { jsBytesFor } from "../build/manifest.ts";

const storeDir = new URL("../", import.meta.url);
const { manifest, rebuilt } = await buildIslands({
  storeDir,
  outDir: new URL("static/build/", storeDir),
  publicPath: "/static/build/",
});
console.log(rebuilt ? "store: islands built" : "store: islands unchanged, build reused");
for (const [name, asset] of Object.entries(manifest.islands)) {
  const chunks = `${asset.imports.length} shared chunk${asset.imports.length === 1 ? "" : "s"}`;
  console.log(`  ${name}: ${asset.entry} + ${chunks} = ${jsBytesFor(manifest, [name])} bytes`);
}
