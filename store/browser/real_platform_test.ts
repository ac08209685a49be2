import { shopJourneyOnPlatform } from "./real_platform.ts";

Deno.test("the shop works end to end on the real platform, embedded profile (the default): pay, CAPTURED, partial refund, decline, double submit", async () => {
  await shopJourneyOnPlatform("store_platform", "embedded", "store-platform");
});
