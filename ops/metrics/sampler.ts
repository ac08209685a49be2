import type { ServiceTarget } from "@pay/lib/config";
import { parsePromText, type PromSample } from "./prom_text.ts";
import { RingBuffer } from "./ring_buffer.ts";
import { type ScrapeSummary, summarize } from "./summary.ts";

/** One scrape of one service. */
export interface Sample {
  readonly atMs: number;
  /** False when the service did not answer /metrics (then `summary` is empty). */
  readonly up: boolean;
  readonly error?: string;
  readonly summary: ScrapeSummary;
}

export interface Scrape {
  readonly target: ServiceTarget;
  readonly sample: Sample;
  /** Every series of the scrape (not kept in the ring buffer). */
  readonly series: readonly PromSample[];
}

export type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

export interface SamplerOptions {
  readonly targets: readonly ServiceTarget[];
  readonly timeoutMs: number;
  readonly samplesMax: number;
  readonly fetch?: FetchFn;
  readonly now?: () => number;
}

/** Largest /metrics body read (the platform's are ~100 KB); a service exporting more is misconfigured. */
export const metricsBodyBytesMax = 4 * 1024 * 1024;

const emptySummary: ScrapeSummary = { requests: 0, errors: 0, latencyBuckets: [], breakers: {} };

/**
 * Scrapes the services' /metrics and keeps a bounded history per service
 * (the console charts and the breaker failure pattern read it). `start`
 * scrapes every interval; `scrapeAll` scrapes once, now.
 */
export class MetricsSampler {
  readonly #history = new Map<string, RingBuffer<Sample>>();
  readonly #fetch: FetchFn;
  readonly #now: () => number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running: Promise<unknown> | undefined;
  #stopped = false;

  constructor(readonly options: SamplerOptions) {
    this.#fetch = options.fetch ?? fetch;
    this.#now = options.now ?? Date.now;
    for (const t of options.targets) this.#history.set(t.name, new RingBuffer(options.samplesMax));
  }

  get targets(): readonly ServiceTarget[] {
    return this.options.targets;
  }

  async scrapeAll(): Promise<Scrape[]> {
    const scrapes = await Promise.all(this.options.targets.map((t) => this.#scrape(t)));
    for (const s of scrapes) this.#history.get(s.target.name)!.push(s.sample);
    return scrapes;
  }

  /** Oldest first. */
  history(targetName: string): Sample[] {
    return this.#history.get(targetName)?.toArray() ?? [];
  }

  start(intervalMs: number): void {
    const tick = () => {
      if (this.#stopped) return;
      this.#running = this.scrapeAll().finally(() => {
        if (!this.#stopped) this.#timer = setTimeout(tick, intervalMs);
      });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running?.catch(() => {});
  }

  async #scrape(target: ServiceTarget): Promise<Scrape> {
    const atMs = this.#now();
    try {
      const response = await this.#fetch(`${target.url}/metrics`, {
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      if (!response.ok) {
        await response.body?.cancel();
        throw new Error(`HTTP ${response.status}`);
      }
      if (Number(response.headers.get("content-length") ?? 0) > metricsBodyBytesMax) {
        await response.body?.cancel();
        throw new Error(`Body over ${metricsBodyBytesMax} bytes`);
      }
      const text = await response.text();
      if (text.length > metricsBodyBytesMax) {
        throw new Error(`Body over ${metricsBodyBytesMax} bytes`);
      }
      const series = parsePromText(text);
      return { target, series, sample: { atMs, up: true, summary: summarize(series) } };
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      return {
        target,
        series: [],
        sample: { atMs, up: false, error: message, summary: emptySummary },
      };
    }
  }
}
