/**
 * `deno task test [paths...] [deno test options...]`: the whole suite (or the
 * given files and folders) on whatever this machine has.
 *
 * - MariaDB reachable: test databases are MariaDB ones (TEST_STORAGE=mariadb);
 *   not reachable: SQLite files (TEST_STORAGE=sqlite), so every suite that can
 *   run on the embedded adapters does. TEST_STORAGE set by the caller wins.
 * - A file declaring `// test-needs: <service>` (services.ts) whose service is
 *   unreachable does not run, and one line says which and why, before the run
 *   and again after it. Under REQUIRE_SERVICES (CI) an unreachable service
 *   listed there fails the run before any test.
 */
import { extname, join, relative } from "node:path";
import {
  declaredNeeds,
  requiredServices,
  serviceAddress,
  type TestService,
  testServices,
  unreachableReason,
} from "./services.ts";

const skippedFolders = new Set(["node_modules", ".git", "test-output", "build", ".data"]);
const testFileName = /^(.*[_.])?test\.(ts|tsx|mts|js|mjs|jsx)$/;

async function testFilesUnder(path: string): Promise<string[]> {
  const info = await Deno.stat(path);
  if (info.isFile) return [path];
  const files: string[] = [];
  for await (const entry of Deno.readDir(path)) {
    const child = join(path, entry.name);
    if (entry.isDirectory && !skippedFolders.has(entry.name)) {
      files.push(...await testFilesUnder(child));
    } else if (entry.isFile && testFileName.test(entry.name) && extname(entry.name)) {
      files.push(child);
    }
  }
  return files.sort();
}

/** The file's declared needs; a bad declaration names its file. */
async function needsOf(file: string): Promise<TestService[]> {
  try {
    return declaredNeeds(await Deno.readTextFile(file));
  } catch (error) {
    throw new Error(`${relative(".", file)}: ${error instanceof Error ? error.message : error}`);
  }
}

const names: Record<TestService, string> = { mariadb: "MariaDB", redis: "Redis" };

const paths: string[] = [];
const options: string[] = [];
for (const arg of Deno.args) {
  const isPath = !arg.startsWith("-") && await Deno.stat(arg).then(() => true, () => false);
  (isPath ? paths : options).push(arg);
}
const files = (await Promise.all((paths.length ? paths : ["."]).map(testFilesUnder))).flat();

const reasons = new Map<TestService, string>();
await Promise.all(testServices.map(async (service) => {
  const address = serviceAddress(service);
  const reason = await unreachableReason(address);
  if (reason) reasons.set(service, `${names[service]} at ${address.where}: ${reason}`);
}));

const missingRequired = requiredServices(Deno.env.get("REQUIRE_SERVICES"))
  .filter((service) => reasons.has(service));
if (missingRequired.length) {
  for (const service of missingRequired) {
    console.error(`[tests] REQUIRE_SERVICES names ${service}, but ${reasons.get(service)}`);
  }
  Deno.exit(1);
}

const runnable: string[] = [];
const notRun: string[] = [];
for (const file of files) {
  const needs = await needsOf(file);
  (needs.some((service) => reasons.has(service)) ? notRun : runnable).push(file);
}
const storage = Deno.env.get("TEST_STORAGE") || (reasons.has("mariadb") ? "sqlite" : "mariadb");
// repository_contract.ts ignores the MariaDB half of each contract on SQLite.
const contractsNote = storage === "sqlite" ? "; the repository contracts run on SQLite only" : "";
const notRunLine = notRun.length
  ? `[tests] NOT RUN: ${notRun.length} of ${files.length} test files need what this machine lacks (${
    [...reasons.values()].join("; ")
  }${contractsNote}): ${notRun.map((file) => relative(".", file)).join(", ")}`
  : undefined;
if (notRunLine) console.log(notRunLine);

if (runnable.length === 0) {
  console.log("[tests] no test file to run");
  Deno.exit(0);
}
console.log(`[tests] ${runnable.length} test files, test databases on ${storage}`);
const child = new Deno.Command(Deno.execPath(), {
  args: ["test", "--allow-all", "--parallel", ...options, ...runnable],
  env: { TEST_STORAGE: storage },
  stdin: "null",
}).spawn();
const { code } = await child.status;
if (notRunLine) console.log(notRunLine);
Deno.exit(code);
