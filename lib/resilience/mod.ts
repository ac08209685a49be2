/** Breakers (opossum) and backoff. */
export * from "./breaker.ts";
export * from "./backoff.ts";
export * from "./probe.ts";
export * from "./transient.ts";
