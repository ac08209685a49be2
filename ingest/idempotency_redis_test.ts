/**
 * The idempotency cases of the scale-out profile: Redis as the cache and the
 * in-flight signal, and Redis down (the database decides alone). The embedded
 * variants run in idempotency_test.ts and idempotency_concurrency_test.ts.
 */
// test-needs: redis
import {
  testAuthorizesWithoutCache,
  testConcurrentIdenticalAuthorizes,
  testConcurrentKeyedRepeats,
  testStripeSemantics,
} from "./testing/idempotency_cases.ts";

testStripeSemantics("scale-out");
testConcurrentIdenticalAuthorizes("scale-out");
testAuthorizesWithoutCache("down");
for (const cache of ["down", "up"] as const) testConcurrentKeyedRepeats(cache);
