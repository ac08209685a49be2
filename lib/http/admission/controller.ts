import { GradientLimit, type GradientLimitSettings } from "./gradient_limit.ts";

/** The limit's settings and the bounded queue in front of it. */
export interface AdmissionSettings extends GradientLimitSettings {
  /** Requests waiting for a slot, at most; beyond it they are shed at once (0: no queue). */
  readonly queueSizeMax: number;
  /** Longest wait in the queue before the request is shed. */
  readonly queueWaitMsMax: number;
}

/** How an admitted request ended, for the limit: a latency sample, a drop, or neither. */
export type AdmissionOutcome = "ok" | "dropped" | "ignored";

export type ShedReason = "queue_full" | "queue_timeout";

/** Proof of admission: hand it back to `release` exactly once. */
export interface AdmissionTicket {
  readonly startMs: number;
  readonly epoch: number;
}

export interface AdmissionOptions {
  readonly nowMs?: () => number;
  readonly random?: () => number;
  readonly onShed?: (reason: ShedReason) => void;
}

interface Waiter {
  readonly resolve: (ticket: AdmissionTicket | null) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

/**
 * Admission control: at most `limit` requests in flight (an adaptive
 * GradientLimit), a short bounded FIFO queue for the next ones, and a refusal
 * for the rest, decided without I/O or allocation beyond the ticket.
 */
export class AdmissionController {
  readonly limit: GradientLimit;
  readonly #nowMs: () => number;
  readonly #onShed: (reason: ShedReason) => void;
  readonly #queue: Waiter[] = [];
  #inFlight = 0;
  #shed = 0;

  constructor(readonly settings: AdmissionSettings, options: AdmissionOptions = {}) {
    this.#nowMs = options.nowMs ?? (() => performance.now());
    this.#onShed = options.onShed ?? (() => {});
    this.limit = new GradientLimit(settings, this.#nowMs(), options.random);
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  get queued(): number {
    return this.#queue.length;
  }

  /** Requests refused so far, for any reason. */
  get shed(): number {
    return this.#shed;
  }

  /**
   * A ticket when a slot is free; a promise of one (or of null, shed after
   * the longest wait) when the queue has room; null (shed) when it has not.
   */
  admit(): AdmissionTicket | Promise<AdmissionTicket | null> | null {
    if (this.#inFlight < this.limit.limit && this.#queue.length === 0) return this.#ticket();
    if (this.#queue.length >= this.settings.queueSizeMax || this.settings.queueWaitMsMax <= 0) {
      this.#refuse("queue_full");
      return null;
    }
    return new Promise((resolve) => {
      const waiter: Waiter = {
        resolve,
        timer: setTimeout(() => {
          this.#queue.splice(this.#queue.indexOf(waiter), 1);
          this.#refuse("queue_timeout");
          resolve(null);
        }, this.settings.queueWaitMsMax),
      };
      this.#queue.push(waiter);
    });
  }

  /** The admitted request ended; its slot goes to the oldest waiter if the limit allows. */
  release(ticket: AdmissionTicket, outcome: AdmissionOutcome): void {
    const nowMs = this.#nowMs();
    const inFlight = this.#inFlight--;
    if (outcome === "ok") {
      this.limit.onSample(ticket.epoch, nowMs - ticket.startMs, inFlight, nowMs);
    }
    if (outcome === "dropped") this.limit.onDrop(inFlight, nowMs);
    while (this.#queue.length > 0 && this.#inFlight < this.limit.limit) {
      const waiter = this.#queue.shift()!;
      clearTimeout(waiter.timer);
      waiter.resolve(this.#ticket());
    }
  }

  #ticket(): AdmissionTicket {
    this.#inFlight++;
    return { startMs: this.#nowMs(), epoch: this.limit.epoch };
  }

  #refuse(reason: ShedReason): void {
    this.#shed++;
    this.#onShed(reason);
  }
}
