import { resolve } from "node:path";
import { z } from "zod";
import { ConfigError, type Env } from "./env.ts";
import { profiles, readProfileConfig } from "./profile.ts";

/**
 * The file `deno task start` writes in DATA_DIR once every service is up, and
 * removes when it stops: the ports and tokens of the running platform. The
 * tools (`deno task load`, `deno task ops`, `deno task ops:mcp`,
 * `deno task webhooks:listen`) take their defaults from it, so a platform
 * started with `--port-offset` needs no extra variables to be reached.
 */
export const runtimeFileName = "runtime.json";

const portSchema = z.number().int().min(1).max(65535);

const runtimeFileSchema = z.object({
  /** The supervisor's process id: it removes the file only while the file is still its own. */
  pid: z.number().int(),
  startedAt: z.string(),
  profile: z.enum(profiles),
  dataDir: z.string(),
  portOffset: z.number().int(),
  ports: z.object({
    gateway: portSchema,
    ingest: z.array(portSchema),
    workers: portSchema,
    pgsim: portSchema,
    store: portSchema,
    ops: portSchema,
  }),
  devMerchantId: z.string(),
  devApiKey: z.string(),
  /** The ops console's login token; null when mutations (and logins) are disabled. */
  opsToken: z.string().nullable(),
  /** Variables the tools take from the platform unless their own environment sets them. */
  env: z.record(z.string(), z.string()),
});

export type RuntimeFile = z.infer<typeof runtimeFileSchema>;

/** DATA_DIR/runtime.json, DATA_DIR resolved against `cwd` as the supervisor resolves it. */
export function runtimeFilePath(env: Env, cwd: string = Deno.cwd()): string {
  return resolve(cwd, readProfileConfig(env).dataDir, runtimeFileName);
}

/** The running platform's file, or undefined when none is there; a malformed one names its path. */
export async function readRuntimeFile(path: string): Promise<RuntimeFile | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  let parsed: z.ZodSafeParseResult<RuntimeFile>;
  try {
    parsed = runtimeFileSchema.safeParse(JSON.parse(text));
  } catch (error) {
    throw new ConfigError([`${path}: not JSON (${(error as Error).message})`]);
  }
  if (!parsed.success) {
    throw new ConfigError([
      `${path}: not a runtime file of deno task start (${
        parsed.error.issues[0]?.message
      }); delete it`,
    ]);
  }
  return parsed.data;
}

/**
 * `env` over the running platform's variables: a variable the environment
 * sets (non-empty, as every config section reads it) wins; flags parsed
 * afterwards win over both.
 */
export function withRuntimeEnv(env: Env, runtime: RuntimeFile | undefined): Env {
  if (!runtime) return env;
  const merged: Record<string, string | undefined> = { ...env };
  for (const [name, value] of Object.entries(runtime.env)) {
    if (!env[name]) merged[name] = value;
  }
  return Object.freeze(merged);
}

/** A tool's environment: its own over the one in DATA_DIR/runtime.json, when a platform runs. */
export async function toolEnv(env: Env): Promise<Env> {
  return withRuntimeEnv(env, await readRuntimeFile(runtimeFilePath(env)));
}
