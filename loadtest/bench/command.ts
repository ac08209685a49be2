import { parseArgs } from "node:util";
import { formatVerdict } from "../verify/verdict.ts";
import { runBench } from "./run_bench.ts";
import { fullSettings, quickSettings } from "./settings.ts";
import { formatBenchTable } from "./summary.ts";

const repoRoot = new URL("../../", import.meta.url).pathname;
export const defaultResultsPath = `${repoRoot}bench/results.json`;
export const defaultQuickResultsPath = `${repoRoot}test-output/bench/results-quick.json`;

const usage = `Usage: deno task bench [--quick] [--out PATH] [--free-ports]

Starts pgsim, 2 ingest, the gateway and the workers on a fresh database (default ports when
free), measures, prints one table, writes JSON results, stops everything.
  --quick       seconds instead of minutes; the figures are a smoke test, not a measurement
  --out PATH    results file  [bench/results.json; test-output/bench/results-quick.json with --quick]
  --free-ports  never the default ports (8080, 8090, 8181, 8182, 8084), even when they are free`;

/** The bench's databases: pay_t_lt_bench, ..._raw, ..._relay (dropped and recreated at each run). */
const benchDatabaseName = "lt_bench";

/** Exit status: 0 ran, 1 correctness checks failed, 2 bad usage or the run failed. */
export async function benchCommand(
  args: readonly string[],
  print: (line: string) => void,
  databaseName = benchDatabaseName,
): Promise<0 | 1 | 2> {
  let flags;
  try {
    flags = parseArgs({
      args: [...args],
      strict: true,
      options: {
        quick: { type: "boolean" },
        out: { type: "string" },
        "free-ports": { type: "boolean" },
        help: { type: "boolean" },
      },
    }).values;
  } catch (error) {
    print(`${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  if (flags.help) {
    print(usage);
    return 0;
  }
  const settings = flags.quick ? quickSettings : fullSettings;
  const out = flags.out ?? (flags.quick ? defaultQuickResultsPath : defaultResultsPath);
  let report;
  try {
    report = await runBench(settings, {
      databaseName,
      preferDefaultPorts: flags["free-ports"] !== true,
    }, print);
  } catch (error) {
    print(`Benchmark failed: ${(error as Error).stack ?? error}`);
    return 2;
  }
  print("");
  const kind = report.mode === "quick" ? "quick: a smoke run, not a measurement" : "full";
  const load = report.machine.loadAverageBefore.map((n) => n.toFixed(2)).join(" ");
  print(
    `Benchmark (${kind}; ${report.seconds} s, ${report.machine.cpus} CPUs, load average before ${load})`,
  );
  print(formatBenchTable(report.measurements, report.ratios, report.targets));
  print(formatVerdict(report.verdict));
  await Deno.mkdir(out.slice(0, out.lastIndexOf("/")) || ".", { recursive: true });
  await Deno.writeTextFile(out, JSON.stringify(report, null, 2) + "\n");
  print(`Results: ${out}`);
  return report.verdict.ok ? 0 : 1;
}
