/** Per-merchant rate limiting (GCRA in Redis) and its operator functions. */
export * from "./limiter.ts";
export * from "./headers.ts";
export * from "./ops.ts";
