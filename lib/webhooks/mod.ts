/** Merchant webhooks shared by ingest (registration) and workers (delivery): SSRF guard, signing. */
export * from "./destination.ts";
export * from "./signature.ts";
