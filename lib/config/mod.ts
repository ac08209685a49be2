/**
 * Configuration. Every variable is read once, validated, frozen and passed down.
 * Each concern owns a section file; `allVars` lists them all for the README.
 */
export * from "./env.ts";
export * from "./profile.ts";
export * from "./db.ts";
export * from "./storage.ts";
export * from "./redis.ts";
export * from "./internal_auth.ts";
export * from "./admission.ts";
export * from "./ingest.ts";
export * from "./gateway.ts";
export * from "./merchant.ts";
export * from "./store.ts";
export * from "./display.ts";
export * from "./pgsim.ts";
export * from "./bus.ts";
export * from "./workers.ts";
export * from "./settlement.ts";
export * from "./ops.ts";
export * from "./loadtest.ts";
export * from "./startup.ts";
export * from "./webhooks.ts";
export * from "./runtime_file.ts";
