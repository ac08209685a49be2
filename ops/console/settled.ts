/** A value, or why it could not be read: a page shows what it can when one source is down. */
export interface Settled<T> {
  readonly value?: T;
  readonly error?: string;
}

export async function settle<T>(work: Promise<T>): Promise<Settled<T>> {
  try {
    return { value: await work };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}
