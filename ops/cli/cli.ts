import { type z, ZodError } from "zod";
import { type Env, readMerchantConfig, readStorageConfig } from "@pay/lib/config";
import { describeStorage, migrateStorage, openStorage } from "@pay/lib/db";
import { DomainError } from "@pay/lib/domain";
import { createOpsRuntime } from "../context_env.ts";
import { problemOfZodError } from "../http/errors.ts";
import { commandOf, runMerchantCommand } from "../merchants/commands.ts";
import { type Operation, parseInput } from "../operations/operation.ts";
import { operationNamed, operations } from "../operations/registry.ts";
import { camelOf, kebabOf, parseArgs, UsageError } from "./args.ts";
import { formatHuman } from "./format.ts";

/** Exit statuses: 0 ok, 1 the operation failed or its check found problems, 2 usage error. */
export const exitOk = 0;
export const exitProblems = 1;
export const exitUsage = 2;

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

const consoleIo: CliIo = { out: (l) => console.log(l), err: (l) => console.error(l) };

/** A field's description, looking through optional/default wrappers. */
function descriptionOf(schema: z.ZodType): string {
  let current: z.ZodType | undefined = schema;
  while (current) {
    if (current.description) return current.description;
    current = (current.def as { innerType?: z.ZodType }).innerType;
  }
  return "";
}

function operationUsage(op: Operation): string {
  const positional = op.positional ?? [];
  const flags = Object.keys(op.input).filter((f) => !positional.includes(f));
  return [
    `deno task ops ${op.name}${positional.map((p) => ` <${kebabOf(p)}>`).join("")}${
      flags.map((f) => ` [--${kebabOf(f)} v]`).join("")
    } [--json]`,
    `  ${op.summary}${op.mutating ? " (changes state)" : ""}`,
    ...Object.entries(op.input).map(([field, schema]) =>
      `    --${kebabOf(field)}  ${descriptionOf(schema as z.ZodType)}`.trimEnd()
    ),
  ].join("\n");
}

export function usage(): string {
  return [
    "Usage: deno task ops <command> [arguments] [--json]",
    "",
    "Operations (same as the ops API and MCP tools):",
    ...operations.map((op) => `  ${op.name.padEnd(22)} ${op.summary}`),
    "",
    "Administration:",
    `  ${
      "merchant".padEnd(22)
    } merchant create --id M777 --name "Shop" [--label text] | add-key --id M777 [--publishable] | revoke <keyId> | list [--id M777]`,
    `  ${"migrate".padEnd(22)} Apply pending database migrations`,
    "",
    "`deno task ops <command> --help` shows a command's arguments.",
    "Exit status: 0 ok, 1 operation failed or a check found problems, 2 usage error.",
  ].join("\n");
}

function inputOf(op: Operation, positionals: string[], flags: Record<string, string>) {
  const positional = op.positional ?? [];
  if (positionals.length > positional.length) {
    throw new UsageError(`Unexpected argument: ${positionals[positional.length]}`);
  }
  const raw: Record<string, unknown> = {};
  for (const [flag, value] of Object.entries(flags)) raw[camelOf(flag)] = value;
  positional.forEach((field, i) => {
    if (positionals[i] !== undefined) raw[field] = positionals[i];
  });
  return parseInput(op, raw);
}

async function runOperation(
  op: Operation,
  positionals: string[],
  flags: Record<string, string>,
  json: boolean,
  env: Env,
  io: CliIo,
): Promise<number> {
  const input = inputOf(op, positionals, flags);
  const runtime = await createOpsRuntime(env);
  try {
    const actor = `cli:${env.USER ?? "unknown"}`;
    const result = await op.run(runtime.ctx, input, { actor });
    if (json) io.out(JSON.stringify(result, null, 2));
    else for (const line of formatHuman(result)) io.out(line);
    return op.problems?.(result) ? exitProblems : exitOk;
  } finally {
    await runtime.close();
  }
}

async function runMerchant(
  positionals: string[],
  flags: Record<string, string>,
  env: Env,
  io: CliIo,
) {
  const [sub, arg] = positionals;
  const common = { id: flags.id, name: flags.name, label: flags.label };
  const command = (() => {
    switch (sub) {
      case "create":
        return commandOf(common);
      case "add-key":
        return commandOf({ ...common, "add-key": true, publishable: flags.publishable === "true" });
      case "revoke":
        if (!arg) throw new UsageError("merchant revoke <keyId>: the key id is missing");
        return commandOf({ revoke: arg });
      case "list":
        return commandOf({ list: true, id: flags.id });
      default:
        throw new UsageError(
          `Unknown merchant command: ${sub ?? "(none)"} (create, add-key, revoke, list)`,
        );
    }
  })();
  const pool = await openStorage(readStorageConfig(env), { poolSizeMax: 1 });
  try {
    for (const line of await runMerchantCommand(pool, command, readMerchantConfig(env).apiKeyEnv)) {
      io.out(line);
    }
    return exitOk;
  } finally {
    await pool.close();
  }
}

/** Runs one CLI invocation; returns the exit status. */
export async function runCli(
  args: readonly string[],
  env: Env,
  io: CliIo = consoleIo,
): Promise<number> {
  try {
    const { positionals, flags } = parseArgs(args);
    const json = flags.json === "true";
    const help = flags.help === "true";
    delete flags.json;
    delete flags.help;
    const [name, ...rest] = positionals;
    if (name === undefined || name === "help") {
      (help || name === "help" ? io.out : io.err)(usage());
      return help || name === "help" ? exitOk : exitUsage;
    }
    if (name === "migrate") {
      const storage = readStorageConfig(env);
      const applied = await migrateStorage(storage, (line) => io.out(line));
      io.out(
        applied.length
          ? `Applied ${applied.length} migration(s) to ${describeStorage(storage)}`
          : `${describeStorage(storage)} is up to date`,
      );
      return exitOk;
    }
    if (name === "merchant") return await runMerchant(rest, flags, env, io);
    const op = operationNamed(name);
    if (!op) throw new UsageError(`Unknown command: ${name}`);
    if (help) {
      io.out(operationUsage(op));
      return exitOk;
    }
    return await runOperation(op, rest, flags, json, env, io);
  } catch (error) {
    if (error instanceof UsageError || (error instanceof Error && error.message.startsWith("--"))) {
      io.err(`Usage error: ${error.message}\n\n${usage()}`);
      return exitUsage;
    }
    if (error instanceof ZodError) {
      io.err(`Usage error: ${problemOfZodError(error).detail}`);
      return exitUsage;
    }
    if (error instanceof DomainError && error.code === "validation_error") {
      io.err(`Usage error: ${error.message}`);
      return exitUsage;
    }
    io.err(
      error instanceof DomainError
        ? `${error.code}: ${error.message}`
        : `Failed: ${(error as Error).message ?? error}`,
    );
    return exitProblems;
  }
}
