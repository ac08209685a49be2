/** Redis client construction (drivers stay in adapters). */
export * from "./client.ts";
export * from "./profile.ts";
