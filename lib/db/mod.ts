/** MariaDB: pool, transactions, batches, migrations and repositories. */
export * from "./pool.ts";
export * from "./batch.ts";
export * from "./migrate.ts";
export * from "./payment_repo.ts";
export * from "./payment_event_repo.ts";
export * from "./outbox_repo.ts";
export * from "./idempotency_repo.ts";
export * from "./request_repo.ts";
export * from "./transition.ts";
export * from "./merchant_repo.ts";
export * from "./outbox_relay_repo.ts";
export * from "./ledger_repo.ts";
export * from "./settlement_repo.ts";
export * from "./reconciliation_repo.ts";
export * from "./authorization_attempt_repo.ts";
