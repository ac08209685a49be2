import type { Clock } from "../run/scheduler.ts";

/**
 * A clock for scheduler tests: `sleep` advances time at once (plus
 * `overshootMs`, to play an event loop that wakes late) and yields.
 */
export class VirtualClock implements Clock {
  nowMs = 0;
  constructor(private readonly overshootMs = 0) {}

  now(): number {
    return this.nowMs;
  }

  async sleep(ms: number): Promise<void> {
    this.nowMs += Math.max(0, ms) + (ms > 0 ? this.overshootMs : 0);
    await new Promise<void>((resolve) => queueMicrotask(resolve));
  }
}
