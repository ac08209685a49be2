import { z } from "zod";

/** The process environment, or a test's stand-in for it. */
export type Env = Readonly<Record<string, string | undefined>>;

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n  ${problems.join("\n  ")}`);
    this.name = "ConfigError";
  }
}

/**
 * Validates `env` against `shape`, whose keys are variable names, and returns
 * the parsed values frozen. Every bad variable is named in one ConfigError.
 */
export function parseEnv<S extends Record<string, z.ZodType>>(
  shape: S,
  env: Env,
): Readonly<z.output<z.ZodObject<S>>> {
  const input: Record<string, string | undefined> = {};
  for (const name of Object.keys(shape)) {
    const value = env[name];
    input[name] = value === "" && !allowsEmpty(shape[name]!) ? undefined : value;
  }
  const result = z.object(shape).safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      return `${name}: ${issue.message} (got ${JSON.stringify(env[name] ?? null)})`;
    });
    throw new ConfigError(problems);
  }
  return Object.freeze(result.data);
}

function allowsEmpty(schema: z.ZodType): boolean {
  return schema.safeParse("").success;
}

/** An integer variable in [min, max] with a default. */
export function intVar(defaultValue: number, min: number, max: number, description: string) {
  return z.coerce.number().int().min(min).max(max).default(defaultValue).describe(description);
}

/** A rate in [0, 1] with a default. */
export function rateVar(defaultValue: number, description: string) {
  return z.coerce.number().min(0).max(1).default(defaultValue).describe(description);
}

export function stringVar(defaultValue: string, description: string) {
  return z.string().default(defaultValue).describe(description);
}

export function boolVar(defaultValue: boolean, description: string) {
  return z.enum(["true", "false", "1", "0"]).default(defaultValue ? "true" : "false")
    .transform((v) => v === "true" || v === "1").describe(description);
}

export function urlVar(defaultValue: string, description: string) {
  return z.url().default(defaultValue).describe(description);
}

const durationUnitsMs = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A duration such as `7d`, `12h`, `30m`, `45s` or `250ms`, parsed to milliseconds. */
export function durationVar(defaultValue: string, description: string) {
  return z.string().default(defaultValue).transform((value, ctx) => {
    const match = /^(\d+)(ms|s|m|h|d)$/.exec(value.trim());
    if (!match) {
      ctx.addIssue({
        code: "custom",
        message: "expected a duration like 7d, 12h, 30m, 45s, 250ms",
      });
      return z.NEVER;
    }
    return Number(match[1]) * durationUnitsMs[match[2] as keyof typeof durationUnitsMs];
  }).describe(description);
}

/** Reads the real process environment (needs --allow-env). */
export function processEnv(): Env {
  return Deno.env.toObject();
}

/** PAY_ENV, shared by every section whose defaults are refused in production. */
export const payEnvVar = z.enum(["development", "test", "production"]).default("development")
  .describe("Deployment environment; production refuses development secrets and keys");
