import { z } from "zod";
import { isTimeZone } from "../i18n/format.ts";
import { type Env, parseEnv } from "./env.ts";

/** The platform's first shoppers and operators are in Korea. */
export const displayTimeZoneDefault = "Asia/Seoul";

export const displayVars = {
  DISPLAY_TIME_ZONE: z.string().default(displayTimeZoneDefault).refine(
    isTimeZone,
    "must be an IANA time zone such as Asia/Seoul or UTC",
  ).describe(
    "Time zone of the times the shop and the ops console show (an IANA name such as Asia/Seoul or UTC); the zone is printed next to every time",
  ),
};

export interface DisplayConfig {
  readonly timeZone: string;
}

export function readDisplayConfig(env: Env): DisplayConfig {
  const v = parseEnv(displayVars, env);
  return Object.freeze({ timeZone: v.DISPLAY_TIME_ZONE });
}
