/** The shop's journey on the scale-out platform: carts in Redis, rows in MariaDB. */
// test-needs: mariadb, redis
import { shopJourneyOnPlatform } from "./real_platform.ts";

Deno.test("the shop works end to end on the real platform, PROFILE=scale-out: pay, CAPTURED, partial refund, decline, double submit", async () => {
  await shopJourneyOnPlatform("store_platform_scale_out", "scale-out", "store-platform-scale-out");
});
