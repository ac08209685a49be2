/**
 * `deno task bench [--quick] [--out PATH]`: starts a fresh stack, runs the
 * fixed measurements, prints one table with ratios and targets, writes the
 * results (default bench/results.json; test-output/bench/results-quick.json
 * with --quick) and stops everything. Exit 0 when it ran (targets met or
 * not; the table says), 1 when the stack's correctness checks failed, 2 on
 * bad usage or a run that could not be made.
 */
import { benchCommand } from "./command.ts";

// Every process of the run (the stack, the raw-transaction baseline, the
// checks) reaches MariaDB the same way: over DB_SOCKET when it is set (the
// published figures used DB_SOCKET=/run/mysqld/mysqld.sock), else over TCP.

Deno.exit(await benchCommand(Deno.args, console.log));
