/** Per-merchant rate limiting (GCRA in Redis or in the process) and its operator functions. */
export * from "./limiter.ts";
export * from "./store.ts";
export * from "./redis_store.ts";
export * from "./memory_store.ts";
export * from "./headers.ts";
export * from "./ops.ts";
