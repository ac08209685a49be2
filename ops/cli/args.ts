/** A command line split into positionals and `--flag value` / `--flag=value` / bare `--flag` (true). */
export interface ParsedArgs {
  readonly positionals: string[];
  readonly flags: Record<string, string>;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Flags that never take a value, so `--json pay_1` keeps `pay_1` positional. */
export const booleanFlags: ReadonlySet<string> = new Set([
  "json",
  "help",
  "include-replayed",
  "all",
  "publishable",
]);

export function parseArgs(args: readonly string[]): ParsedArgs {
  const positionals: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith("--") || arg === "--") {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    if (eq > 0) {
      flags[arg.slice(2, eq)] = arg.slice(eq + 1);
    } else if (
      !booleanFlags.has(arg.slice(2)) && i + 1 < args.length && !args[i + 1]!.startsWith("--")
    ) {
      flags[arg.slice(2)] = args[++i]!;
    } else {
      flags[arg.slice(2)] = "true";
    }
  }
  return { positionals, flags };
}

/** `window-seconds` → `windowSeconds`. */
export function camelOf(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** `windowSeconds` → `window-seconds`. */
export function kebabOf(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
