import assert from "node:assert/strict";
import { ConfigError } from "./env.ts";
import { readDisplayConfig } from "./display.ts";

Deno.test("times are shown in Asia/Seoul unless DISPLAY_TIME_ZONE names another zone", () => {
  assert.equal(readDisplayConfig({}).timeZone, "Asia/Seoul");
  assert.equal(readDisplayConfig({ DISPLAY_TIME_ZONE: "UTC" }).timeZone, "UTC");
});

Deno.test("an unknown DISPLAY_TIME_ZONE stops start-up with the variable named", () => {
  assert.throws(
    () => readDisplayConfig({ DISPLAY_TIME_ZONE: "Seoul" }),
    (error: unknown) =>
      error instanceof ConfigError && /DISPLAY_TIME_ZONE: must be an IANA time zone/.test(
        error.message,
      ) && error.message.includes('"Seoul"'),
  );
});
