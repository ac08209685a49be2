/** Merchant webhooks: endpoints, events and their deliveries (DESIGN §11). */
export * from "./webhook_endpoint_repo.ts";
export * from "./webhook_event_repo.ts";
export * from "./webhook_delivery_repo.ts";
export * from "./webhook_ops_repo.ts";
