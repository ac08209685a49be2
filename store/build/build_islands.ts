/**
 * Bundles islands/ for the browser with esbuild: one entry module per island
 * (it imports the island and hydrates its <store-island> elements), shared
 * code (Preact) split into chunks, minified, with content-hashed file names so
 * browsers cache them for good. The manifest records every input's hash: a
 * start-up with nothing changed reuses the previous build.
 */
import * as esbuild from "esbuild";
import type { IslandManifest } from "./manifest.ts";

export interface BuildOptions {
  /** The store folder (islands/, client/ inside). */
  readonly storeDir: URL;
  /** Where the bundles and manifest.json go. */
  readonly outDir: URL;
  /** URL path the out dir is served under, ending in `/`. */
  readonly publicPath: string;
}

export interface BuildResult {
  readonly manifest: IslandManifest;
  readonly rebuilt: boolean;
}

/** Browsers of the last few years run ES2020 modules natively; nothing older gets islands. */
const browserTarget = "es2020";

const repoRoot = new URL("../../", import.meta.url);

async function sha256File(url: URL): Promise<string | undefined> {
  try {
    const digest = await crypto.subtle.digest("SHA-256", await Deno.readFile(url));
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

export async function listIslands(storeDir: URL): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(new URL("islands/", storeDir))) {
    if (entry.isFile && entry.name.endsWith(".tsx") && !entry.name.endsWith("_test.tsx")) {
      names.push(entry.name.slice(0, -".tsx".length));
    }
  }
  return names.sort();
}

async function readManifest(outDir: URL): Promise<IslandManifest | undefined> {
  try {
    return JSON.parse(await Deno.readTextFile(new URL("manifest.json", outDir)));
  } catch {
    return undefined;
  }
}

/** True when the manifest was built from exactly these islands and inputs, and its files exist. */
async function isCurrent(manifest: IslandManifest, islands: string[], options: BuildOptions) {
  if (JSON.stringify(Object.keys(manifest.islands).sort()) !== JSON.stringify(islands)) {
    return false;
  }
  for (const [path, hash] of Object.entries(manifest.inputs)) {
    if (await sha256File(new URL(path, repoRoot)) !== hash) return false;
  }
  for (const url of Object.keys(manifest.sizes)) {
    const name = url.slice(options.publicPath.length);
    if (await sha256File(new URL(name, options.outDir)) === undefined) return false;
  }
  return true;
}

/** Resolves `@pay/lib/<area>` through lib/deno.json's exports, as Deno does. */
function workspaceLibPlugin(): esbuild.Plugin {
  return {
    name: "pay-lib",
    setup(build) {
      build.onResolve({ filter: /^@pay\/lib\// }, async (args) => {
        const config = JSON.parse(await Deno.readTextFile(new URL("lib/deno.json", repoRoot)));
        const target = config.exports?.[`./${args.path.slice("@pay/lib/".length)}`];
        if (typeof target !== "string") return { errors: [{ text: `Not exported: ${args.path}` }] };
        return { path: new URL(target, new URL("lib/", repoRoot)).pathname };
      });
    },
  };
}

/** Generates each island's entry module: import it, hydrate its elements. */
function islandEntryPlugin(storeDir: URL): esbuild.Plugin {
  return {
    name: "island-entry",
    setup(build) {
      build.onResolve({ filter: /^island-entry:/ }, (args) => ({
        path: args.path.slice("island-entry:".length),
        namespace: "island-entry",
      }));
      build.onLoad({ filter: /.*/, namespace: "island-entry" }, (args) => ({
        contents: [
          `import { hydrateIslands } from ${
            JSON.stringify(new URL("client/hydrate.ts", storeDir).pathname)
          };`,
          `import Island from ${
            JSON.stringify(new URL(`islands/${args.path}.tsx`, storeDir).pathname)
          };`,
          `hydrateIslands(${JSON.stringify(args.path)}, Island);`,
        ].join("\n"),
        loader: "ts",
        resolveDir: storeDir.pathname,
      }));
    },
  };
}

async function writeAtomically(url: URL, bytes: Uint8Array): Promise<void> {
  const temp = new URL(`${url.pathname}.${crypto.randomUUID()}.tmp`, url);
  await Deno.writeFile(temp, bytes);
  await Deno.rename(temp, url);
}

export async function buildIslands(options: BuildOptions): Promise<BuildResult> {
  const islands = await listIslands(options.storeDir);
  const previous = await readManifest(options.outDir);
  if (previous && await isCurrent(previous, islands, options)) {
    return { manifest: previous, rebuilt: false };
  }
  await Deno.mkdir(options.outDir, { recursive: true });
  let result: esbuild.BuildResult<{ write: false; metafile: true }>;
  try {
    result = await esbuild.build({
      entryPoints: islands.map((name) => ({ in: `island-entry:${name}`, out: name })),
      absWorkingDir: repoRoot.pathname,
      outdir: options.outDir.pathname,
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "browser",
      target: browserTarget,
      minify: true,
      jsx: "automatic",
      jsxImportSource: "preact",
      entryNames: "[name]-[hash]",
      chunkNames: "chunk-[hash]",
      metafile: true,
      write: false,
      legalComments: "none",
      logLevel: "silent",
      plugins: [islandEntryPlugin(options.storeDir), workspaceLibPlugin()],
    });
  } finally {
    await esbuild.stop();
  }
  const manifest = await manifestOf(result, options);
  for (const file of result.outputFiles) {
    await writeAtomically(new URL(`file://${file.path}`), new Uint8Array(file.contents));
  }
  await writeAtomically(
    new URL("manifest.json", options.outDir),
    new TextEncoder().encode(JSON.stringify(manifest, null, 2) + "\n"),
  );
  await removeStaleFiles(options.outDir, manifest, options.publicPath);
  return { manifest, rebuilt: true };
}

async function manifestOf(
  result: esbuild.BuildResult<{ write: false; metafile: true }>,
  options: BuildOptions,
): Promise<IslandManifest> {
  const outputs = result.metafile.outputs;
  const urlOf = (path: string) => options.publicPath + path.split("/").pop();
  const importsOf = (path: string, seen = new Set<string>()): Set<string> => {
    for (const imported of outputs[path]?.imports ?? []) {
      if (imported.kind !== "import-statement" || seen.has(imported.path)) continue;
      seen.add(imported.path);
      importsOf(imported.path, seen);
    }
    return seen;
  };
  const islands: Record<string, { entry: string; imports: string[] }> = {};
  const sizes: Record<string, number> = {};
  for (const [path, output] of Object.entries(outputs)) {
    if (path.endsWith(".map")) continue;
    sizes[urlOf(path)] = output.bytes;
    const entry = output.entryPoint?.startsWith("island-entry:")
      ? output.entryPoint.slice("island-entry:".length)
      : undefined;
    if (entry) {
      islands[entry] = { entry: urlOf(path), imports: [...importsOf(path)].map(urlOf).sort() };
    }
  }
  const inputs: Record<string, string> = {};
  for (const path of Object.keys(result.metafile.inputs).sort()) {
    if (path.includes(":")) continue; // generated entries, rebuilt from the island list
    inputs[path] = (await sha256File(new URL(path, repoRoot)))!;
  }
  return { islands, sizes, inputs };
}

async function removeStaleFiles(outDir: URL, manifest: IslandManifest, publicPath: string) {
  const keep = new Set(Object.keys(manifest.sizes).map((url) => url.slice(publicPath.length)));
  for await (const entry of Deno.readDir(outDir)) {
    if (!entry.isFile || entry.name === "manifest.json" || keep.has(entry.name)) continue;
    if (entry.name.endsWith(".js")) await Deno.remove(new URL(entry.name, outDir));
  }
}
