/**
 * The settlement end to end on the embedded profile: every process on one
 * SQLite file and the embedded bus in a fresh data folder, no MariaDB or
 * Redis. Runs everywhere; settlement_scale_out_e2e_test.ts runs the same
 * scenario on MariaDB and Redis.
 */
import { settlementEndToEnd, settlementEndToEndName } from "./settlement_flows.ts";

Deno.test(`[embedded] ${settlementEndToEndName}`, (t) => settlementEndToEnd(t, "embedded"));
