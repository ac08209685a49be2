/** What the island build produced, read by the server to add scripts to pages. */

export interface IslandAsset {
  /** URL of the island's entry module. */
  readonly entry: string;
  /** URLs of the chunks the entry imports, transitively (shared Preact runtime, ...). */
  readonly imports: readonly string[];
}

export interface IslandManifest {
  readonly islands: Readonly<Record<string, IslandAsset>>;
  /** Size in bytes of every built file, by URL. */
  readonly sizes: Readonly<Record<string, number>>;
  /** Input files (relative to the repository) and their SHA-256, to skip unchanged rebuilds. */
  readonly inputs: Readonly<Record<string, string>>;
}

export const emptyManifest: IslandManifest = Object.freeze({ islands: {}, sizes: {}, inputs: {} });

/** The modules a page that uses `islands` loads, each once. */
export function scriptsFor(manifest: IslandManifest, islands: Iterable<string>): {
  entries: string[];
  preloads: string[];
} {
  const entries: string[] = [];
  const preloads = new Set<string>();
  for (const name of islands) {
    const asset = manifest.islands[name];
    if (!asset) throw new Error(`Island is not in the build manifest (run store:build): ${name}`);
    entries.push(asset.entry);
    for (const url of asset.imports) preloads.add(url);
  }
  return { entries, preloads: [...preloads] };
}

/** Bytes of JavaScript a page that uses `islands` downloads. */
export function jsBytesFor(manifest: IslandManifest, islands: Iterable<string>): number {
  const { entries, preloads } = scriptsFor(manifest, islands);
  return [...new Set([...entries, ...preloads])].reduce(
    (sum, url) => sum + (manifest.sizes[url] ?? 0),
    0,
  );
}
