import { timingSafeEqual } from "node:crypto";

/** How long a console login lasts: one working day. */
export const sessionTtlMs = 8 * 3_600_000;
/** Sessions kept at once; the oldest is dropped past it (a login flood cannot exhaust memory). */
export const sessionsMax = 1_000;

export const sessionCookieName = "ops_session";

export interface Session {
  readonly id: string;
  /** Must come back in every console form that changes something (CSRF). */
  readonly csrf: string;
  readonly expiresAtMs: number;
}

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function sameText(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Console logins, in memory: a login with the ops token yields a random
 * session id (HttpOnly, SameSite=Strict cookie) and a CSRF token the forms
 * carry. A restart logs everyone out, which is fine for an operator console.
 */
export class SessionStore {
  readonly #sessions = new Map<string, Session>();

  constructor(private readonly now: () => number = Date.now) {}

  create(): Session {
    while (this.#sessions.size >= sessionsMax) {
      this.#sessions.delete(this.#sessions.keys().next().value!);
    }
    const session = {
      id: randomToken(),
      csrf: randomToken(),
      expiresAtMs: this.now() + sessionTtlMs,
    };
    this.#sessions.set(session.id, session);
    return session;
  }

  find(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const session = this.#sessions.get(id);
    if (session && session.expiresAtMs <= this.now()) {
      this.#sessions.delete(id);
      return undefined;
    }
    return session;
  }

  delete(id: string | undefined): void {
    if (id) this.#sessions.delete(id);
  }
}
