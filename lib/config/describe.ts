import type { z } from "zod";
import * as config from "./mod.ts";

/** One documented configuration variable. */
export interface VarDoc {
  readonly name: string;
  readonly section: string;
  readonly defaultValue: string | undefined;
  readonly description: string;
}

/** The raw default of a variable's schema (before transforms), or undefined when it has none. */
function rawDefault(schema: z.ZodType): unknown {
  // deno-lint-ignore no-explicit-any
  let def: any = (schema as any)._zod?.def;
  while (def) {
    if (def.type === "default") {
      return typeof def.defaultValue === "function" ? def.defaultValue() : def.defaultValue;
    }
    def = def.in?._zod?.def ?? def.innerType?._zod?.def;
  }
  return undefined;
}

/**
 * Every variable of every config section (the exported `...Vars` shapes),
 * for the table in docs/configuration.md and the test that keeps it complete.
 */
export function describeVars(): VarDoc[] {
  const docs = new Map<string, VarDoc>();
  for (const [exportName, value] of Object.entries(config)) {
    if (!exportName.endsWith("Vars") || typeof value !== "object" || value === null) continue;
    const section = exportName.slice(0, -"Vars".length);
    for (const [name, schema] of Object.entries(value as Record<string, z.ZodType>)) {
      if (docs.has(name)) continue;
      const d = rawDefault(schema);
      docs.set(name, {
        name,
        section,
        defaultValue: d === undefined ? undefined : String(d),
        description: schema.description ?? "",
      });
    }
  }
  return [...docs.values()];
}

/** The configuration table of docs/configuration.md. */
export function varsMarkdownTable(): string {
  const rows = describeVars().map((v) =>
    `| \`${v.name}\` | ${v.section} | ${
      v.defaultValue === undefined
        ? "(unset)"
        : v.defaultValue === ""
        ? '""'
        : `\`${v.defaultValue}\``
    } | ${v.description} |`
  );
  return ["| Variable | Section | Default | Meaning |", "|---|---|---|---|", ...rows].join("\n");
}

const startMarker = "<!-- env:start -->";
const endMarker = "<!-- env:end -->";

/** The page the table lives in (`deno task docs:env` rewrites it, then formats it). */
export const configurationDocUrl = new URL("../../docs/configuration.md", import.meta.url);

/** Rewrites the table between the page's env markers. */
export function withVarsTable(page: string): string {
  const start = page.indexOf(startMarker);
  const end = page.indexOf(endMarker);
  if (start < 0 || end < start) {
    throw new Error(`The page lacks the markers ${startMarker} ... ${endMarker}`);
  }
  // Blank lines around the table, as deno fmt writes them.
  return page.slice(0, start + startMarker.length) + "\n\n" + varsMarkdownTable() + "\n\n" +
    page.slice(end);
}

if (import.meta.main) {
  const page = await Deno.readTextFile(configurationDocUrl);
  await Deno.writeTextFile(configurationDocUrl, withVarsTable(page));
  console.log(`docs/configuration.md: ${describeVars().length} variables`);
}
