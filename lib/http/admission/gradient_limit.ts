/**
 * An adaptive concurrency limit that follows measured latency, in the style
 * of Envoy's adaptive concurrency filter and Netflix's gradient limits:
 *
 * - The no-load latency (`minRttMs`) is first guessed from the first window;
 *   then it is measured with the limit pinned to `limitMin` (a probe), at the
 *   first window that uses the limit and every `probeIntervalMs` after while
 *   the limit is in use, so it never drifts up
 *   with the load it judges. A window run at `limitMin` anyway is such a
 *   measurement: a limit that fell to its minimum because the machine got
 *   slower (not because of queueing) recovers at once, not at the next probe.
 *   Windows never lower it otherwise: the fastest of many noisy windows is an
 *   outlier, and a baseline ratcheted down to it would hold the limit low.
 * - Every window of samples moves the limit by the gradient
 *   `tolerance × minRtt / windowRtt` (clamped to [0.5, 2]) plus a headroom
 *   of √limit: latency above the tolerated multiple shrinks the limit, latency
 *   below it grows the limit, and the headroom keeps probing upwards.
 * - A window with a drop (a downstream refused for overload) backs the limit
 *   off multiplicatively, once per window, as TCP does once per round trip.
 * - A window whose in-flight count stayed under half the limit changes
 *   nothing (Netflix's Gradient2 rule): the latency of a service that does not
 *   use its limit is not caused by it (a slow dependency, a failover), and an
 *   idle service must not build a limit it never tested.
 *
 * Pure: time comes in as arguments, randomness (probe jitter) as a function.
 */
export interface GradientLimitSettings {
  readonly limitInitial: number;
  readonly limitMin: number;
  readonly limitMax: number;
  /** Latency accepted over the no-load latency before the limit falls: 3 lets it triple. */
  readonly tolerance: number;
  /** Shortest window; a window also needs `windowSamplesMin` samples (or `limit`, if fewer). */
  readonly windowMs: number;
  readonly windowSamplesMin: number;
  /** How often the no-load latency is measured again (± probeJitter). */
  readonly probeIntervalMs: number;
}

/** The gradient may at most halve or double the limit per window (Envoy's bounds). */
const gradientMin = 0.5;
const gradientMax = 2;
/** Multiplicative decrease on a window with drops (Netflix AIMD's default). */
const dropBackoffRatio = 0.9;
/** Probes are spread by ± this share of the interval, so instances do not probe in step. */
const probeJitter = 0.1;
/** Latencies are taken as at least a microsecond (below the timer's resolution). */
const rttFloorMs = 0.001;

/** What a window of samples adds up to. */
interface Window {
  startMs: number;
  samples: number;
  rttSumMs: number;
  inFlightMax: number;
  drops: number;
}

export class GradientLimit {
  #limit: number;
  #minRttMs = 0;
  /** While probing, the limit to return to; undefined between probes. */
  #limitBeforeProbe: number | undefined;
  /** Bumped at each probe start: only requests admitted during a probe measure it. */
  #epoch = 0;
  #nextProbeMs = 0;
  #window: Window;

  constructor(
    readonly settings: GradientLimitSettings,
    nowMs: number,
    private readonly random: () => number = Math.random,
  ) {
    const { limitMin, limitInitial, limitMax } = settings;
    if (!(limitMin >= 1 && limitMin <= limitInitial && limitInitial <= limitMax)) {
      throw new RangeError(
        `Limits must satisfy 1 ≤ min ≤ initial ≤ max: ${limitMin}, ${limitInitial}, ${limitMax}`,
      );
    }
    if (!(settings.tolerance > 1)) {
      throw new RangeError(`Tolerance must be above 1: ${settings.tolerance}`);
    }
    this.#limit = limitInitial;
    this.#window = newWindow(nowMs);
  }

  /** Requests that may be in flight now. */
  get limit(): number {
    return this.#limitBeforeProbe === undefined ? Math.floor(this.#limit) : this.settings.limitMin;
  }

  /** The no-load latency the limit is judged against; 0 before the first window. */
  get minRttMs(): number {
    return this.#minRttMs;
  }

  get probing(): boolean {
    return this.#limitBeforeProbe !== undefined;
  }

  /** Tag a request with at admission; hand it back with its sample. */
  get epoch(): number {
    return this.#epoch;
  }

  /** A request admitted in `epoch` completed after `rttMs`, with `inFlight` requests running then. */
  onSample(epoch: number, rttMs: number, inFlight: number, nowMs: number): void {
    if (this.probing && epoch !== this.#epoch) return;
    const w = this.#window;
    w.samples++;
    w.rttSumMs += rttMs;
    w.inFlightMax = Math.max(w.inFlightMax, inFlight);
    this.#closeWindowIfDue(nowMs);
  }

  /** A request was refused downstream for overload: this window backs off. */
  onDrop(inFlight: number, nowMs: number): void {
    this.#window.drops++;
    this.#window.inFlightMax = Math.max(this.#window.inFlightMax, inFlight);
    this.#closeWindowIfDue(nowMs);
  }

  #closeWindowIfDue(nowMs: number): void {
    const w = this.#window;
    // A small limit completes few requests per window: waiting for more would slow its recovery.
    const samplesMin = Math.min(this.settings.windowSamplesMin, this.limit);
    const enough = w.samples >= samplesMin || w.drops > 0;
    if (nowMs - w.startMs < this.settings.windowMs || !enough) return;
    this.#window = newWindow(nowMs);
    if (this.probing) {
      if (w.samples > 0) this.#endProbe(windowRttMs(w), nowMs);
      return;
    }
    const appLimited = this.#appLimited(w);
    const atMin = this.limit <= this.settings.limitMin && !appLimited;
    // The first window's latency is a first guess only (maybe taken under load): the first
    // window that uses the limit probes at once.
    if (this.#minRttMs === 0) this.#minRttMs = windowRttMs(w);
    else if (atMin) this.#measured(windowRttMs(w), nowMs);
    this.#limit = this.#nextLimit(w);
    if (nowMs >= this.#nextProbeMs && !appLimited) this.#startProbe(nowMs);
  }

  #appLimited(w: Window): boolean {
    return w.inFlightMax < this.#limit / 2;
  }

  #nextLimit(w: Window): number {
    const { limitMin, limitMax, tolerance } = this.settings;
    if (w.drops > 0) return clamp(this.#limit * dropBackoffRatio, limitMin, limitMax);
    if (this.#appLimited(w)) return this.#limit;
    const gradient = clamp(tolerance * this.#minRttMs / windowRttMs(w), gradientMin, gradientMax);
    return clamp(this.#limit * gradient + Math.sqrt(this.#limit), limitMin, limitMax);
  }

  #startProbe(nowMs: number): void {
    this.#limitBeforeProbe = this.#limit;
    this.#epoch++;
    this.#window = newWindow(nowMs);
  }

  #endProbe(rttMs: number, nowMs: number): void {
    this.#limit = this.#limitBeforeProbe!;
    this.#limitBeforeProbe = undefined;
    this.#measured(rttMs, nowMs);
  }

  /** A new no-load latency; the next probe is due one interval (± jitter) later. */
  #measured(rttMs: number, nowMs: number): void {
    this.#minRttMs = rttMs;
    const jitter = 1 + probeJitter * (2 * this.random() - 1);
    this.#nextProbeMs = nowMs + this.settings.probeIntervalMs * jitter;
  }
}

/** A window's mean latency, at least a microsecond (never 0: it divides). */
function windowRttMs(w: Window): number {
  return Math.max(w.rttSumMs / w.samples, rttFloorMs);
}

function newWindow(startMs: number): Window {
  return { startMs, samples: 0, rttSumMs: 0, inFlightMax: 0, drops: 0 };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
