/** One ingest instance as the gateway sees it. */
export interface Upstream {
  /** Base URL, `http://host:port`. */
  readonly url: string;
  readonly hostname: string;
  readonly port: number;
  healthy: boolean;
  inFlight: number;
}

export interface UpstreamPoolEvents {
  onHealthChange?(upstream: Upstream): void;
  onInFlightChange?(upstream: Upstream): void;
  onRemove?(upstream: Upstream): void;
}

export function upstreamOf(url: string): Upstream {
  const parsed = new URL(url);
  return {
    url: `${parsed.protocol}//${parsed.host}`,
    hostname: parsed.hostname.replace(/^\[|\]$/g, ""),
    port: Number(parsed.port || 80),
    healthy: true,
    inFlight: 0,
  };
}

/**
 * The current set of upstreams with their health and load. Balancing is least
 * in-flight, ties broken round robin, so a slow instance gets less traffic and
 * equal instances share it evenly. Ejected upstreams receive nothing until a
 * probe readmits them.
 */
export class UpstreamPool {
  #members: Upstream[] = [];
  #next = 0;

  constructor(
    urls: readonly string[] = [],
    private readonly events: UpstreamPoolEvents = {},
    /** Requests one upstream may have in flight; a full one is skipped (admission control). */
    private readonly inFlightMax = Number.POSITIVE_INFINITY,
  ) {
    this.replace(urls);
  }

  /** Sets the member list (discovery); upstreams already known keep their health. */
  replace(urls: readonly string[]): void {
    const known = new Map(this.#members.map((u) => [u.url, u]));
    const members = [...new Set(urls.map((url) => upstreamOf(url).url))].map((url) =>
      known.get(url) ?? upstreamOf(url)
    );
    const kept = new Set(members);
    for (const old of this.#members) if (!kept.has(old)) this.events.onRemove?.(old);
    this.#members = members;
    for (const u of members) if (!known.has(u.url)) this.events.onHealthChange?.(u);
  }

  members(): readonly Upstream[] {
    return this.#members;
  }

  healthyCount(): number {
    return this.#members.filter((u) => u.healthy).length;
  }

  /**
   * True when healthy upstreams outside `exclude` exist but every one is at its
   * in-flight limit: the platform is saturated, not down.
   */
  saturated(exclude: ReadonlySet<Upstream> = new Set()): boolean {
    const open = this.#members.filter((u) => u.healthy && !exclude.has(u));
    return open.length > 0 && open.every((u) => u.inFlight >= this.inFlightMax);
  }

  /** The healthy upstream below its limit with the fewest requests in flight, not in `exclude`; null when none. */
  pick(exclude: ReadonlySet<Upstream> = new Set()): Upstream | null {
    const members = this.#members;
    let best: Upstream | null = null;
    for (let i = 0; i < members.length; i++) {
      const candidate = members[(this.#next + i) % members.length]!;
      if (!candidate.healthy || exclude.has(candidate) || candidate.inFlight >= this.inFlightMax) {
        continue;
      }
      if (best === null || candidate.inFlight < best.inFlight) best = candidate;
    }
    this.#next = (this.#next + 1) % Math.max(1, members.length);
    return best;
  }

  begin(upstream: Upstream): void {
    upstream.inFlight++;
    this.events.onInFlightChange?.(upstream);
  }

  end(upstream: Upstream): void {
    upstream.inFlight--;
    this.events.onInFlightChange?.(upstream);
  }

  eject(upstream: Upstream): void {
    if (!upstream.healthy) return;
    upstream.healthy = false;
    this.events.onHealthChange?.(upstream);
  }

  readmit(upstream: Upstream): void {
    if (upstream.healthy) return;
    upstream.healthy = true;
    this.events.onHealthChange?.(upstream);
  }
}
