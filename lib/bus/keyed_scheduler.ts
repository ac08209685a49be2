interface Waiter {
  readonly below: number;
  readonly resolve: () => void;
}

/** A unit of work; it must not throw (the delivery pipeline turns failures into outcomes). */
export type Task = () => Promise<void>;

/**
 * Runs tasks with at most `concurrency` at once and one at a time per key,
 * in submission order per key. This is how a consumer keeps per-payment order
 * while handling different payments in parallel.
 */
export class KeyedScheduler {
  readonly #concurrency: number;
  /** Keys with queued or running work, and their queued tasks. */
  readonly #queues = new Map<string, Task[]>();
  /** Keys with queued work and nothing running, oldest first. */
  #ready: string[] = [];
  #running = 0;
  #size = 0;
  #waiters: Waiter[] = [];

  constructor(concurrency: number) {
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(`Concurrency must be a positive integer: ${concurrency}`);
    }
    this.#concurrency = concurrency;
  }

  /** Tasks queued or running. */
  get size(): number {
    return this.#size;
  }

  push(key: string, task: Task): void {
    this.#size++;
    const queue = this.#queues.get(key);
    if (queue) {
      queue.push(task);
      return;
    }
    this.#queues.set(key, [task]);
    this.#ready.push(key);
    this.#pump();
  }

  /** Resolves once fewer than `below` tasks are queued or running. */
  whenBelow(below: number): Promise<void> {
    if (this.#size < below) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ below, resolve }));
  }

  /** Resolves once every task pushed so far has finished. */
  drain(): Promise<void> {
    return this.whenBelow(1);
  }

  #pump(): void {
    while (this.#running < this.#concurrency && this.#ready.length > 0) {
      const key = this.#ready.shift()!;
      this.#running++;
      void this.#runNext(key);
    }
  }

  async #runNext(key: string): Promise<void> {
    const queue = this.#queues.get(key)!;
    const task = queue.shift()!;
    try {
      await task();
    } catch {
      // Tasks report their own failures; one that throws must not stall its key.
    } finally {
      this.#running--;
      this.#size--;
      if (queue.length > 0) this.#ready.push(key);
      else this.#queues.delete(key);
      this.#pump();
      this.#wakeWaiters();
    }
  }

  #wakeWaiters(): void {
    if (this.#waiters.length === 0) return;
    const still: Waiter[] = [];
    for (const waiter of this.#waiters) {
      if (this.#size < waiter.below) waiter.resolve();
      else still.push(waiter);
    }
    this.#waiters = still;
  }
}
