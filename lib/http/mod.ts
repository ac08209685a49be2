/** HTTP edge helpers shared by every service: problem+json, internal request signing. */
export * from "./problem.ts";
export * from "./internal_auth.ts";
export * from "./breaker_admin.ts";
export * from "./read_body.ts";
export * from "./admission/mod.ts";
export * from "./blocked_ports.ts";
