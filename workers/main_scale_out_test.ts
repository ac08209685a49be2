/**
 * The workers process on the scale-out profile: MariaDB, the Redis bus and
 * Redis in its readiness. main_test.ts runs the same scenario embedded.
 */
// test-needs: mariadb, redis
import { workersProcessScenario, workersProcessTestName } from "./testing/main_process.ts";

Deno.test(`[scale-out] ${workersProcessTestName}`, () => workersProcessScenario("scale-out"));
