import assert from "node:assert/strict";
import { declaredFamilies, metricNamesIn } from "./promql.ts";

Deno.test("metric names are read out of PromQL, without functions, labels or numbers", () => {
  assert.deepEqual(
    metricNamesIn(
      'histogram_quantile(0.95, sum by (le, route) (rate(gateway_request_duration_seconds_bucket{route=~"/api.*"}[5m]))) > 1e-9',
    ),
    ["gateway_request_duration_seconds"],
  );
  assert.deepEqual(
    metricNamesIn(
      "sum(rate(a_total[1m])) / clamp_min(sum(rate(b_total[1m])), 1e-9) and on(job) up",
    ),
    ["a_total", "b_total", "up"],
  );
});

Deno.test("declared families come from TYPE lines", () => {
  const page = "# HELP x_total X\n# TYPE x_total counter\nx_total 1\n# TYPE h_seconds histogram\n";
  assert.deepEqual([...declaredFamilies(page)], ["x_total", "h_seconds"]);
});
