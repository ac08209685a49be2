/**
 * Architecture test: all SQL lives in lib/db. Services call repository
 * functions from `@pay/lib/db`; they never import the driver, never call
 * `.query()`/`.execute()` on a connection, and never write a statement.
 * Inside lib/db, transactions are opened, committed and rolled back only by
 * transaction.ts. Test files may still use SQL for fixtures.
 *
 * A text scan, kept simple on purpose: it can be fooled by an indirection,
 * but every plain way in is caught, and each exception is named below with
 * its reason.
 */
import assert from "node:assert/strict";

const root = new URL("../../", import.meta.url);

/** Folders that are not the platform's source. */
const skippedDirs = new Set(["node_modules", ".git", "test-output", "build", ".data"]);

interface Exception {
  readonly path: string;
  readonly rule: Rule;
  readonly reason: string;
}

type Rule = "driver import" | "query call" | "SQL text" | "transaction control";

/** Every exception to the rules, with why; nothing else is allowed. */
const exceptions: readonly Exception[] = [
  {
    path: "pgsim/",
    rule: "SQL text",
    reason:
      "pgsim simulates the external payment gateway: its SQLite file is the simulator's own " +
      "state (node:sqlite), not the platform's database",
  },
  ...["lib/bus/sqlite_", "lib/embedded/", "ingest/nonces/sqlite.ts", "store/state/sqlite.ts"].map((
    path,
  ) => ({
    path,
    rule: "SQL text" as const,
    reason: "an embedded adapter's own SQLite file (the bus log, ingest's nonces, the shop's " +
      "sessions) plays a Redis role; its statements are that adapter's protocol, as Redis " +
      "commands are the Redis adapter's, not queries of the platform's database",
  })),
  {
    path: "lib/testing/db.ts",
    rule: "query call",
    reason: "fixtureRows/fixtureWrite hand a test's own fixture statements to the storage " +
      "port (tests may keep SQL for fixtures); no service imports lib/testing",
  },
  ...["loadtest/faults/read_state.ts", "loadtest/faults/scenarios.ts"].flatMap((path) =>
    (["driver import", "query call", "SQL text"] as const).map((rule) => ({
      path,
      rule,
      reason: "the fault suite audits the private database after each fault with its own " +
        "queries, independent of the repositories whose behaviour it checks",
    }))
  ),
];

const driverImport = /(from\s+|import\s*\(\s*)["'](npm:)?mysql2/;
/** A query on a connection or pool; Hono's `c.req.query()` reads the URL's query string. */
const queryCall = /(?<!\breq)\.(query|execute)\s*(<[^>]*>)?\(/;
/** A string literal that starts with an SQL statement. */
const sqlText =
  /["'`]\s*(SELECT\s|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|REPLACE\s+INTO|START\s+TRANSACTION|COMMIT\b|ROLLBACK\b|SET\s+TRANSACTION|CREATE\s+(TABLE|DATABASE)|DROP\s+(TABLE|DATABASE)|ALTER\s+TABLE|TRUNCATE\s)/;
/** Transaction statements, or the driver's own methods; `tx.commit()` is the helper's Transaction. */
const transactionControl =
  /["'`]\s*(START\s+TRANSACTION|COMMIT|ROLLBACK|SET\s+TRANSACTION)\b|(?<!\btx)\.(beginTransaction|commit|rollback)\(/;

async function* sourceFiles(dir: URL, prefix = ""): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isDirectory) {
      if (skippedDirs.has(entry.name) || entry.name.startsWith(".")) continue;
      yield* sourceFiles(new URL(`${entry.name}/`, dir), `${prefix}${entry.name}/`);
    } else if (/\.(ts|tsx)$/.test(entry.name)) {
      yield `${prefix}${entry.name}`;
    }
  }
}

const isTest = (path: string) => /_test\.tsx?$/.test(path);

function excepted(path: string, rule: Rule): boolean {
  return exceptions.some((e) => e.rule === rule && path.startsWith(e.path));
}

/** Rule violations of one file, as `path:line: rule: text`. */
export function violationsOf(path: string, text: string): string[] {
  const rules: Array<[Rule, RegExp]> = [];
  if (path.startsWith("lib/db/")) {
    if (path !== "lib/db/transaction.ts") rules.push(["transaction control", transactionControl]);
  } else {
    rules.push(["driver import", driverImport], ["query call", queryCall], ["SQL text", sqlText]);
  }
  const found: string[] = [];
  text.split("\n").forEach((line, index) => {
    if (/^\s*(\/\/|\*|\/\*)/.test(line)) return;
    for (const [rule, pattern] of rules) {
      if (pattern.test(line) && !excepted(path, rule)) {
        found.push(`${path}:${index + 1}: ${rule}: ${line.trim()}`);
      }
    }
  });
  return found;
}

Deno.test("no SQL, driver or query call outside lib/db, and one transaction module inside it", async () => {
  const violations: string[] = [];
  let scanned = 0;
  for await (const path of sourceFiles(root)) {
    if (isTest(path)) continue;
    scanned++;
    violations.push(...violationsOf(path, await Deno.readTextFile(new URL(path, root))));
  }
  assert.ok(scanned > 100, `Too few files scanned: ${scanned}`);
  assert.deepEqual(violations, []);
});

Deno.test("the boundary scan catches each way SQL leaks out of lib/db", () => {
  const service = "workers/example.ts";
  assert.equal(violationsOf(service, `import type { Pool } from "mysql2/promise";`).length, 1);
  assert.equal(violationsOf(service, `await pool.query(statement, params);`).length, 1);
  assert.equal(violationsOf(service, `const [rows] = await pool.query<Row[]>(text);`).length, 1);
  assert.equal(violationsOf(service, `sql("DELETE FROM payment WHERE id = ?", id)`).length, 1);
  assert.equal(violationsOf(service, "const s = `UPDATE payment SET status = ?`;").length, 1);
  assert.equal(violationsOf(service, `const q = c.req.query("topic");`).length, 0);
  assert.equal(violationsOf(service, `// SELECT ... FOR UPDATE, in a comment`).length, 0);
  assert.equal(
    violationsOf("lib/db/example_repo.ts", `await connection.query("ROLLBACK");`).length,
    1,
  );
  assert.equal(violationsOf("lib/db/example_repo.ts", `await connection.commit();`).length, 1);
  assert.equal(violationsOf("lib/db/example_repo.ts", `await tx.commit([update]);`).length, 0);
  assert.equal(violationsOf("lib/db/transaction.ts", `sql("START TRANSACTION")`).length, 0);
  assert.equal(violationsOf("pgsim/db/sqlite_db.ts", `db.prepare("SELECT 1")`).length, 0);
});
