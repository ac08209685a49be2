import { testConcurrentKeyedRepeats } from "./testing/idempotency_cases.ts";

// With Redis up and down: idempotency_redis_test.ts; a stuck MariaDB claim:
// idempotency_stuck_claim_mariadb_test.ts.
testConcurrentKeyedRepeats("none (embedded)");
