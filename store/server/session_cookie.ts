/**
 * The session cookie: a random id plus an HMAC of it, so a shopper cannot
 * pick another shopper's id. The cart lives server side (state/), never in
 * the cookie. CSRF tokens are derived from the id with the same secret, so
 * they are bound to the session and need no storage.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const sessionCookieName = "store_sid";

/** 128 bits of randomness: ids can be neither guessed nor enumerated. */
const sessionIdBytes = 16;

const sessionIdPattern = /^[A-Za-z0-9_-]{22}$/;

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_")
    .replaceAll("=", "");
}

function mac(secret: string, purpose: string, value: string): string {
  return createHmac("sha256", secret).update(`${purpose}:${value}`).digest("base64url");
}

function equalStrings(a: string, b: string): boolean {
  const left = new TextEncoder().encode(a);
  const right = new TextEncoder().encode(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function newSessionId(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(sessionIdBytes)));
}

export function signSessionId(secret: string, sessionId: string): string {
  return `${sessionId}.${mac(secret, "session", sessionId)}`;
}

/** The session id of a cookie value, or undefined when it is malformed or its signature is wrong. */
export function verifySessionCookie(secret: string, value: string): string | undefined {
  const [id, signature, ...rest] = value.split(".");
  if (rest.length > 0 || !id || !signature || !sessionIdPattern.test(id)) return undefined;
  return equalStrings(signature, mac(secret, "session", id)) ? id : undefined;
}

export function csrfTokenFor(secret: string, sessionId: string): string {
  return mac(secret, "csrf", sessionId);
}

export function isValidCsrfToken(secret: string, sessionId: string, token: unknown): boolean {
  return typeof token === "string" && equalStrings(token, csrfTokenFor(secret, sessionId));
}

export interface CookieOptions {
  readonly secure: boolean;
  readonly maxAgeSeconds: number;
}

export function sessionCookieHeader(value: string, options: CookieOptions): string {
  return [
    `${sessionCookieName}=${value}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${options.maxAgeSeconds}`,
    ...(options.secure ? ["Secure"] : []),
  ].join("; ");
}

export function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.get("cookie");
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
