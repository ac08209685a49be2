/** `deno task load --help`. Defaults in brackets; cliDefaults (flags.ts) holds the values. */
export const usage = `Usage: deno task load [flags]

Open-model load (arrivals on a schedule, not closed loops) against the gateway.

Scenario
  --scenario authorize|flow   authorize only, or authorize → capture (→ refund)  [authorize;
                              flow when ENABLE_CAPTURE=true]
  --capture                   same as --scenario flow (env ENABLE_CAPTURE)
  --refund                    refund captured payments (env ENABLE_REFUND); needs a flow
  --refund-ratio R            share of flows that refund, 0..1  [1]
  --currency CODE             [KRW]
Rate plan (one of; default --profile k6)
  --profile NAME              k6 (20→400/s over 8 min, the original), k6-200, smoke (8 s at 20/s)
  --stages LIST               [name=]duration:target,...  e.g. warm-up=30s:100,2m:400,30s:0
  --start-rate N              rate at the start of --stages  [0]
  --stages-file PATH          JSON {"startRate":20,"stages":[{"duration":"30s","target":100}]}
  --rate N --duration D       constant N/s for D after a linear warm-up (--warmup D, [10s])
  --scale F                   multiply every rate of the plan by F
Target
  --target URL                loopback only  [LOAD_TARGET_URL or http://127.0.0.1:8080]
  --direct                    the target is one ingest instance: sign requests like the gateway
  --merchants N               merchants (with API keys) to create and spread load over
                              [enough for the gateway's RATE_LIMIT_* defaults]; 0 = DEV_API_KEY
Limits
  --max-in-flight N           iterations running at once; arrivals beyond are dropped  [10000]
  --sockets N                 connections to the target  [1000]
  --timeout D                 per request  [10s]
  --late-tolerance D          a start later than this counts as late  [10ms]
  --graceful-stop D           time for running iterations after the last start  [30s]
  --completion-timeout D      capture/refund must settle within  [30s]
  --abort-after-silence D     stop when nothing answers for D while requests are out  [10s; 0s never]
Results and checks
  --out DIR                   results folder  [LOAD_RESULTS_DIR or test-output/load]
  --no-verify                 skip the correctness checks after the run
  --drain-timeout D           time for the workers to settle before the checks  [60s]
  --max-error-rate R          failed requests allowed, 0..1  [0.01]
Merchants
  --keep-merchants            leave the run's LT_ merchants and keys active (default: retired after)
  --cleanup                   retire LT_ merchants earlier runs left active, then exit
  --help`;
