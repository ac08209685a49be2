/** Helpers for integration tests: test databases (SQLite files or MariaDB), Redis, processes, browsers. */
export * from "./db.ts";
export * from "./services.ts";
export * from "./redis.ts";
export * from "./processes.ts";
export * from "./nginx.ts";
export * from "./chromium.ts";
export * from "./connection_counter.ts";
export * from "./daemon.ts";
export * from "./private_servers.ts";
