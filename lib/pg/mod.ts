/**
 * The payment gateway (PG): the port, its HTTP adapter, a fake for unit tests,
 * the wire contract and test cards, and the simulation core pgsim serves.
 */
export type * from "./port.ts";
export * from "./errors.ts";
export * from "./test_cards.ts";
export * from "./wire.ts";
export * from "./http_client.ts";
export * from "./fake_client.ts";
export * from "./settlement_report.ts";
export * from "./sim/records.ts";
export * from "./sim/rules.ts";
export * from "./sim/engine.ts";
export * from "./sim/lookup.ts";
export * from "./sim/memory_db.ts";
