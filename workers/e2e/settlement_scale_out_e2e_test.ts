/**
 * The settlement end to end on the scale-out profile: every process on one
 * MariaDB database and the Redis bus. settlement_e2e_test.ts runs the same
 * scenario on the embedded profile.
 */
// test-needs: mariadb, redis
import { settlementEndToEnd, settlementEndToEndName } from "./settlement_flows.ts";

Deno.test(`[scale-out] ${settlementEndToEndName}`, (t) => settlementEndToEnd(t, "scale-out"));
