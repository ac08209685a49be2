/** The payment domain: money, ids, states, events and errors. Imports no driver. */
export * from "./currency.ts";
export * from "./money.ts";
export * from "./ids.ts";
export * from "./payment_status.ts";
export * from "./events.ts";
export * from "./errors.ts";
export * from "./ledger.ts";
export * from "./webhooks.ts";
export * from "./payment_mode.ts";
export * from "./metadata.ts";
export * from "./refunds.ts";
