/**
 * The workers process on the embedded profile (SQLite file and embedded bus
 * in a fresh data folder): runs everywhere. main_scale_out_test.ts runs the
 * same scenario on MariaDB and Redis.
 */
import { workersProcessScenario, workersProcessTestName } from "./testing/main_process.ts";

Deno.test(`[embedded] ${workersProcessTestName}`, () => workersProcessScenario("embedded"));
