/**
 * Counter increases over a scenario, read from the workers' /metrics by
 * metric-name prefix (the names of sweepers and janitors are whatever their
 * modules export). A killed process restarts its counters at 0, so the
 * window is closed before a kill and reopened after the restart.
 */

/** Timeout of one /metrics scrape. */
const scrapeTimeoutMs = 3_000;

/** `name{labels}` → value, for the counters (`_total`) of a Prometheus text exposition. */
export function parseCounters(text: string): Map<string, number> {
  const counters = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!match || !match[1]!.endsWith("_total")) continue;
    const value = Number(match[3]);
    if (Number.isFinite(value)) counters.set(`${match[1]}${match[2] ?? ""}`, value);
  }
  return counters;
}

/**
 * Adds each series' increase from `earlier` to `later`. A value below the
 * earlier one means the process restarted (counters from 0): all of it counts.
 */
export function addIncreases(
  into: Map<string, number>,
  earlier: ReadonlyMap<string, number>,
  later: ReadonlyMap<string, number>,
): void {
  for (const [series, value] of later) {
    const before = earlier.get(series) ?? 0;
    const increase = value >= before ? value - before : value;
    if (increase > 0) into.set(series, (into.get(series) ?? 0) + increase);
  }
}

/** Series whose name starts with one of `prefixes`, formatted `name{labels}=n`, sorted. */
export function formatIncreases(
  increases: ReadonlyMap<string, number>,
  prefixes: readonly string[],
): string[] {
  return [...increases]
    .filter(([series]) => prefixes.some((prefix) => series.startsWith(prefix)))
    .map(([series, n]) => `${series}=${n}`)
    .sort();
}

export interface MetricsWindow {
  /** Scrapes `url` before its process is killed: what it counted so far would die with it. */
  beforeKill(url: string): Promise<void>;
  /** Final scrape: every counter's increase over the window, summed over the processes. */
  finish(): Promise<{ increases: Map<string, number>; complete: boolean }>;
}

export async function openMetricsWindow(urls: readonly string[]): Promise<MetricsWindow> {
  const increases = new Map<string, number>();
  let complete = true;
  const scrape = async (url: string) => {
    try {
      const answer = await fetch(`${url}/metrics`, {
        signal: AbortSignal.timeout(scrapeTimeoutMs),
      });
      return parseCounters(await answer.text());
    } catch {
      complete = false;
      return undefined;
    }
  };
  const base = new Map<string, Map<string, number>>();
  for (const url of urls) base.set(url, (await scrape(url)) ?? new Map());
  const advance = async (url: string) => {
    const now = await scrape(url);
    if (now) addIncreases(increases, base.get(url) ?? new Map(), now);
  };
  return {
    async beforeKill(url) {
      await advance(url);
      base.set(url, new Map());
    },
    async finish() {
      for (const url of urls) await advance(url);
      return { increases, complete };
    },
  };
}
