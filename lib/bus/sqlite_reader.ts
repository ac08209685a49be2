import { sleep } from "./sleep.ts";
import type { SqliteStreamLog } from "./sqlite_log.ts";
import type { StreamEntry, StreamReader } from "./stream_log.ts";

/**
 * How often a waiting reader looks for entries appended by another process.
 * SQLite cannot block a reader until a write; a look is one indexed read
 * (no lock, no write), so 50 ms costs little and bounds the extra latency
 * of a message crossing processes. Appends of this process wake its readers
 * at once.
 */
export const pollIntervalMs = 50;

/** Readers waiting in this process, by file: an append here wakes them without a poll. */
const wakersByPath = new Map<string, Set<() => void>>();

/** Wakes this process's readers of the file at `path` (after an append committed). */
export function wake(path: string): void {
  for (const waker of [...wakersByPath.get(path) ?? []]) waker();
}

function onAppend(path: string, waker: () => void): () => void {
  const wakers = wakersByPath.get(path) ?? new Set();
  wakersByPath.set(path, wakers);
  wakers.add(waker);
  return () => {
    wakers.delete(waker);
    if (wakers.size === 0) wakersByPath.delete(path);
  };
}

/** A consumer's reader: takes new entries, waiting for an append (here) or polling (others). */
export class SqliteReader implements StreamReader {
  #appended = false;
  #wake: AbortController | null = null;
  #interrupted = false;
  /** Which topic a take starts with, rotating: a backlog on one topic cannot starve the others. */
  #turn = 0;

  constructor(
    private readonly log: SqliteStreamLog,
    private readonly path: string,
    private readonly group: string,
    private readonly consumer: string,
    private readonly topics: readonly string[],
  ) {}

  async read(countMax: number, blockMs: number): Promise<StreamEntry[]> {
    const deadline = Date.now() + blockMs;
    this.#interrupted = false;
    const unsubscribe = onAppend(this.path, () => {
      this.#appended = true;
      this.#wake?.abort();
    });
    try {
      while (true) {
        this.#appended = false;
        const first = this.#turn++ % this.topics.length;
        const topics = [...this.topics.slice(first), ...this.topics.slice(0, first)];
        const taken = await this.log.take(this.group, this.consumer, topics, countMax);
        const leftMs = deadline - Date.now();
        if (taken.length > 0 || leftMs <= 0 || this.#interrupted) return taken;
        if (this.#appended) continue;
        this.#wake = new AbortController();
        await sleep(Math.min(pollIntervalMs, leftMs), this.#wake.signal);
        this.#wake = null;
        if (this.#interrupted) return [];
      }
    } finally {
      unsubscribe();
    }
  }

  interrupt(): Promise<void> {
    this.#interrupted = true;
    this.#wake?.abort();
    return Promise.resolve();
  }

  close(): Promise<void> {
    return this.interrupt();
  }
}
