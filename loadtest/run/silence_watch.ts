import type { SecondSample } from "../metrics/recorder.ts";

/**
 * Notices a dead target: requests went out (started, or still in flight) and
 * no HTTP answer of any status came back for `silenceMsMax`. Seconds with
 * nothing out (a ramp at rate 0) neither count nor reset the silence; any
 * answer resets it. A target answering only errors is alive: its errors show
 * in the report instead.
 */
export class SilenceWatch {
  #silentSinceS: number | undefined;

  constructor(readonly silenceMsMax: number) {}

  /** Feeds one sample; true when the target has been silent for `silenceMsMax`. */
  observe(sample: SecondSample): boolean {
    if (sample.answers > 0) {
      this.#silentSinceS = undefined;
      return false;
    }
    if (sample.started === 0 && sample.inFlight === 0) return false;
    this.#silentSinceS ??= sample.atS - sample.intervalS;
    return this.silenceMsMax > 0 && (sample.atS - this.#silentSinceS) * 1000 >= this.silenceMsMax;
  }

  /** Seconds of silence so far (0 while the target answers). */
  silentS(atS: number): number {
    return this.#silentSinceS === undefined ? 0 : atS - this.#silentSinceS;
  }
}
