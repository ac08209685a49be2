import assert from "node:assert/strict";
import { buildIslands, listIslands } from "./build_islands.ts";
import { jsBytesFor } from "./manifest.ts";
import { pageJsBytesMax } from "../tools/js_budget_limit.ts";

const storeDir = new URL("../", import.meta.url);

Deno.test("islands build into content-hashed modules sharing Preact, within the JS budget", async () => {
  const outDir = new URL(`file://${await Deno.makeTempDir({ prefix: "store_build_" })}/`);
  try {
    const options = { storeDir, outDir, publicPath: "/static/build/" };
    const first = await buildIslands(options);
    assert.equal(first.rebuilt, true);
    const names = await listIslands(storeDir);
    assert.deepEqual(Object.keys(first.manifest.islands).sort(), names);
    for (const name of names) {
      const asset = first.manifest.islands[name]!;
      assert.match(asset.entry, new RegExp(`^/static/build/${name}-[A-Z0-9]{8}\\.js$`));
      assert.ok(asset.imports.length >= 1, `${name} imports the shared Preact chunk`);
      const code = await Deno.readTextFile(
        new URL(asset.entry.slice("/static/build/".length), outDir),
      );
      assert.match(code, new RegExp(`\\("${name}",`), "the entry hydrates its island by name");
      const bytes = jsBytesFor(first.manifest, [name]);
      assert.ok(bytes <= pageJsBytesMax, `${name}: ${bytes} bytes`);
    }
    assert.ok(
      Object.keys(first.manifest.inputs).some((path) => path.endsWith("islands/AddToCart.tsx")),
    );

    const second = await buildIslands(options);
    assert.equal(second.rebuilt, false);
    assert.deepEqual(second.manifest, first.manifest);
  } finally {
    await Deno.remove(outDir, { recursive: true });
  }
});
