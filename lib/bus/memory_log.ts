import type { BusMessage } from "./port.ts";
import { sleep } from "./sleep.ts";
import type { StreamEntry, StreamLog, StreamReader } from "./stream_log.ts";

interface Pending {
  consumer: string;
  deliveredAtMs: number;
  count: number;
}

interface GroupState {
  /** Index of the next entry never delivered to this group. */
  next: number;
  readonly pending: Map<string, Pending>;
}

interface Stream {
  readonly entries: Array<{ readonly id: string; readonly message: BusMessage }>;
  readonly byId: Map<string, BusMessage>;
  readonly groups: Map<string, GroupState>;
}

/**
 * The shared state of the memory bus: streams, groups and pending lists.
 * Several MemoryStreamLogs over one broker act like processes sharing one
 * Redis, which is how tests simulate a consumer dying and another taking over.
 */
export class MemoryBroker {
  readonly streams = new Map<string, Stream>();
  readonly #wakers = new Set<() => void>();
  #sequence = 0;
  /** The epoch marker (see StreamLog.ensureEpoch); a new broker is a new bus. */
  epoch: string | null = null;

  stream(topic: string): Stream {
    let stream = this.streams.get(topic);
    if (!stream) {
      stream = { entries: [], byId: new Map(), groups: new Map() };
      this.streams.set(topic, stream);
    }
    return stream;
  }

  nextId(): string {
    return `${++this.#sequence}-0`;
  }

  onAppend(waker: () => void): () => void {
    this.#wakers.add(waker);
    return () => this.#wakers.delete(waker);
  }

  notify(): void {
    for (const waker of [...this.#wakers]) waker();
  }
}

/** StreamLog in memory (unit tests). Streams are not trimmed. */
export class MemoryStreamLog implements StreamLog {
  constructor(readonly broker: MemoryBroker = new MemoryBroker()) {}

  append(messages: readonly BusMessage[]): Promise<void> {
    for (const message of messages) {
      const stream = this.broker.stream(message.topic);
      const id = this.broker.nextId();
      const copy = { ...message, headers: { ...message.headers } };
      stream.entries.push({ id, message: copy });
      stream.byId.set(id, copy);
    }
    this.broker.notify();
    return Promise.resolve();
  }

  ensureGroup(topic: string, group: string): Promise<void> {
    const stream = this.broker.stream(topic);
    if (!stream.groups.has(group)) stream.groups.set(group, { next: 0, pending: new Map() });
    return Promise.resolve();
  }

  openReader(group: string, consumer: string, topics: readonly string[]): Promise<StreamReader> {
    return Promise.resolve(new MemoryReader(this.broker, group, consumer, topics));
  }

  claimIdle(
    topic: string,
    group: string,
    consumer: string,
    minIdleMs: number,
    countMax: number,
  ): Promise<StreamEntry[]> {
    const stream = this.broker.stream(topic);
    const state = groupOf(stream, group);
    const now = Date.now();
    const claimed: StreamEntry[] = [];
    for (const [id, pending] of state.pending) {
      if (claimed.length >= countMax) break;
      if (now - pending.deliveredAtMs < minIdleMs) continue;
      pending.consumer = consumer;
      pending.deliveredAtMs = now;
      pending.count++;
      claimed.push(entryOf(topic, id, stream.byId.get(id)!, pending.count));
    }
    return Promise.resolve(claimed);
  }

  touch(topic: string, group: string, consumer: string, ids: readonly string[]): Promise<void> {
    const state = groupOf(this.broker.stream(topic), group);
    const now = Date.now();
    for (const id of ids) {
      const pending = state.pending.get(id);
      if (pending?.consumer === consumer) pending.deliveredAtMs = now;
    }
    return Promise.resolve();
  }

  release(
    topic: string,
    group: string,
    consumer: string,
    entry: { readonly id: string; readonly deliveryCount: number },
    idleMs: number,
  ): Promise<void> {
    const pending = groupOf(this.broker.stream(topic), group).pending.get(entry.id);
    if (pending) {
      pending.consumer = consumer;
      pending.deliveredAtMs = Date.now() - idleMs;
      pending.count = Math.max(0, entry.deliveryCount - 1);
    }
    return Promise.resolve();
  }

  ack(topic: string, group: string, ids: readonly string[]): Promise<void> {
    const state = groupOf(this.broker.stream(topic), group);
    for (const id of ids) state.pending.delete(id);
    return Promise.resolve();
  }

  lag(topic: string, group: string): Promise<number> {
    const stream = this.broker.stream(topic);
    const state = groupOf(stream, group);
    return Promise.resolve(stream.entries.length - state.next + state.pending.size);
  }

  pruneConsumers(): Promise<void> {
    return Promise.resolve();
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  ensureEpoch(): Promise<string> {
    return Promise.resolve(this.broker.epoch ??= crypto.randomUUID());
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

class MemoryReader implements StreamReader {
  #wake: AbortController | null = null;

  constructor(
    private readonly broker: MemoryBroker,
    private readonly group: string,
    private readonly consumer: string,
    private readonly topics: readonly string[],
  ) {}

  async read(countMax: number, blockMs: number): Promise<StreamEntry[]> {
    const now = this.#take(countMax);
    if (now.length > 0 || blockMs <= 0) return now;
    this.#wake = new AbortController();
    const wake = this.#wake;
    const unsubscribe = this.broker.onAppend(() => wake.abort());
    try {
      await sleep(blockMs, wake.signal);
    } finally {
      unsubscribe();
      this.#wake = null;
    }
    return this.#take(countMax);
  }

  #take(countMax: number): StreamEntry[] {
    const taken: StreamEntry[] = [];
    for (const topic of this.topics) {
      const stream = this.broker.stream(topic);
      const state = groupOf(stream, this.group);
      while (taken.length < countMax && state.next < stream.entries.length) {
        const { id, message } = stream.entries[state.next++]!;
        state.pending.set(id, { consumer: this.consumer, deliveredAtMs: Date.now(), count: 1 });
        taken.push(entryOf(topic, id, message, 1));
      }
    }
    return taken;
  }

  interrupt(): Promise<void> {
    this.#wake?.abort();
    return Promise.resolve();
  }

  close(): Promise<void> {
    return this.interrupt();
  }
}

function groupOf(stream: Stream, group: string): GroupState {
  const state = stream.groups.get(group);
  if (!state) throw new Error(`Consumer group does not exist: ${group}`);
  return state;
}

function entryOf(topic: string, id: string, message: BusMessage, count: number): StreamEntry {
  return { topic, id, deliveryCount: count, message, raw: message.value };
}
