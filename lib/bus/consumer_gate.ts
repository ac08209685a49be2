import type { prom } from "../metrics/mod.ts";
import { backoffDelayMs } from "../resilience/backoff.ts";
import { breakerStateValues } from "../resilience/breaker.ts";
import { type BusLogger, errorText } from "./log.ts";
import { sleep } from "./sleep.ts";

export type GateState = keyof typeof breakerStateValues;

/** Leave to make one handler attempt; its result goes back through `settle`. */
export interface GateTicket {
  /** The one attempt allowed while the gate is open: its result opens or closes the gate. */
  readonly probe: boolean;
  /** The gate's epoch at admission: results of attempts admitted before a change are stale. */
  readonly epoch: number;
}

/** How an attempt ended, as the gate sees it. */
export type AttemptResult = "ok" | "transient" | "failed";

export interface ConsumerGateOptions {
  readonly group: string;
  /** First pause before a probe; doubles with each failed probe (full jitter). */
  readonly backoffBaseMs: number;
  /** Longest pause between two probes. */
  readonly backoffCapMs: number;
  /** `circuit_breaker_state`; the gate reports as `consumer:<group>`. */
  readonly stateGauge: prom.Gauge<"name">;
  readonly log: BusLogger;
  readonly random?: () => number;
}

/**
 * The breaker of one consumer group in a process (DESIGN §10). Closed, every
 * attempt runs. A transient failure (a dependency down) opens it: no attempt
 * starts, and after a capped, jittered backoff one probe is let through,
 * preferably the retry of a message that failed transiently. A probe that
 * fails transiently reopens it with a longer pause; any other result means
 * the dependency answered, and the gate closes for everyone.
 *
 * Waiters poll no timer of the gate's own: each sleeps until the next probe is
 * due or the state changes, so a gate nobody waits on holds no timer.
 */
export class ConsumerGate {
  readonly name: string;
  readonly #options: ConsumerGateOptions;
  #state: GateState = "closed";
  #epoch = 0;
  /** Probes that failed since the gate opened; the exponent of the backoff. */
  #probesFailed = 0;
  #probeDueAtMs = 0;
  #openedAtMs = 0;
  /** Waiters whose message already failed transiently: they probe before new work. */
  #retryWaiters = 0;
  #changed = Promise.withResolvers<void>();

  constructor(options: ConsumerGateOptions) {
    this.#options = options;
    this.name = `consumer:${options.group}`;
    options.stateGauge.set({ name: this.name }, breakerStateValues.closed);
  }

  get state(): GateState {
    return this.#state;
  }

  /**
   * Resolves when an attempt may start: at once while closed, otherwise when
   * this caller becomes the probe or the gate closes. Resolves null when
   * `stop` aborts first (never while closed: a closed gate lets a stopping
   * consumer drain). `retrying` marks the retry of a transient failure.
   */
  async admit(retrying: boolean, stop: AbortSignal): Promise<GateTicket | null> {
    if (retrying) this.#retryWaiters++;
    try {
      while (true) {
        if (this.#state === "closed") return { probe: false, epoch: this.#epoch };
        if (stop.aborted) return null;
        const waitMs = this.#probeDueAtMs - Date.now();
        const mayProbe = retrying || this.#retryWaiters === 0;
        if (this.#state === "open" && waitMs <= 0 && mayProbe) {
          this.#enter("halfOpen");
          return { probe: true, epoch: this.#epoch };
        }
        await this.#whenChanged(stop, this.#state === "open" && mayProbe ? waitMs : null);
      }
    } finally {
      // The last retry leaving (stopped) lets new work probe: waiters held back must look again.
      if (retrying && --this.#retryWaiters === 0 && this.#state !== "closed") this.#wake();
    }
  }

  /** Reports how an admitted attempt ended. */
  settle(ticket: GateTicket, result: AttemptResult, error?: unknown): void {
    if (ticket.probe) {
      if (result === "transient") this.#reopen();
      else this.#close();
      return;
    }
    // An attempt admitted before the last change says nothing newer than the probe that made it.
    if (result === "transient" && this.#state === "closed" && ticket.epoch === this.#epoch) {
      this.#open(error);
    }
  }

  #open(error: unknown): void {
    this.#epoch++;
    this.#probesFailed = 0;
    this.#openedAtMs = Date.now();
    this.#scheduleProbe();
    this.#enter("open");
    this.#options.log("consumer_gate_opened", {
      group: this.#options.group,
      error: errorText(error),
    });
  }

  #reopen(): void {
    this.#probesFailed++;
    this.#scheduleProbe();
    this.#enter("open");
  }

  #close(): void {
    this.#epoch++;
    this.#enter("closed");
    this.#options.log("consumer_gate_closed", {
      group: this.#options.group,
      openMs: Date.now() - this.#openedAtMs,
      probesFailed: this.#probesFailed,
    });
  }

  #scheduleProbe(): void {
    const { backoffBaseMs, backoffCapMs, random } = this.#options;
    this.#probeDueAtMs = Date.now() +
      backoffDelayMs(this.#probesFailed, backoffBaseMs, backoffCapMs, random);
  }

  #enter(state: GateState): void {
    this.#state = state;
    this.#options.stateGauge.set({ name: this.name }, breakerStateValues[state]);
    this.#wake();
  }

  #wake(): void {
    this.#changed.resolve();
    this.#changed = Promise.withResolvers<void>();
  }

  /** Waits for a state change, `stop`, or `delayMs` (null: no deadline). */
  async #whenChanged(stop: AbortSignal, delayMs: number | null): Promise<void> {
    const done = new AbortController();
    const either = AbortSignal.any([stop, done.signal]);
    try {
      await Promise.race([
        this.#changed.promise,
        delayMs === null ? whenAborted(either) : sleep(Math.max(1, delayMs), either),
      ]);
    } finally {
      done.abort();
    }
  }
}

function whenAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener("abort", () => resolve(), { once: true })
  );
}

/** The gates of one bus, one per consumer group: consumers of a group in a process share it. */
export class ConsumerGates {
  readonly #gates = new Map<string, ConsumerGate>();

  constructor(private readonly options: Omit<ConsumerGateOptions, "group">) {}

  of(group: string): ConsumerGate {
    let gate = this.#gates.get(group);
    if (!gate) {
      gate = new ConsumerGate({ ...this.options, group });
      this.#gates.set(group, gate);
    }
    return gate;
  }
}
