/** Words of PromQL (functions, aggregations, modifiers) that are not metric names. */
const promqlWords = new Set([
  "sum",
  "min",
  "max",
  "avg",
  "count",
  "stddev",
  "stdvar",
  "topk",
  "bottomk",
  "quantile",
  "count_values",
  "group",
  "by",
  "without",
  "on",
  "ignoring",
  "group_left",
  "group_right",
  "and",
  "or",
  "unless",
  "bool",
  "offset",
  "rate",
  "irate",
  "increase",
  "delta",
  "idelta",
  "deriv",
  "predict_linear",
  "histogram_quantile",
  "clamp",
  "clamp_min",
  "clamp_max",
  "abs",
  "ceil",
  "floor",
  "round",
  "exp",
  "ln",
  "log2",
  "log10",
  "sqrt",
  "time",
  "timestamp",
  "vector",
  "scalar",
  "absent",
  "absent_over_time",
  "changes",
  "resets",
  "sort",
  "sort_desc",
  "label_replace",
  "label_join",
  "avg_over_time",
  "min_over_time",
  "max_over_time",
  "sum_over_time",
  "count_over_time",
  "last_over_time",
  "quantile_over_time",
  "inf",
  "nan",
]);

/**
 * Metric names a PromQL expression reads, with histogram suffixes
 * (_bucket, _sum, _count) reduced to the family name a /metrics page declares.
 */
export function metricNamesIn(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, " ")
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ")
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/\b\d+(\.\d+)?(e[+-]?\d+)?\b/gi, " ");
  const names = new Set<string>();
  for (const token of stripped.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? []) {
    if (!promqlWords.has(token)) names.add(token.replace(/_(bucket|sum|count)$/, ""));
  }
  return [...names];
}

/** Metric families a Prometheus text page declares (`# TYPE name kind`). */
export function declaredFamilies(page: string): Set<string> {
  const families = new Set<string>();
  for (const match of page.matchAll(/^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) \w+$/gm)) {
    families.add(match[1]!);
  }
  return families;
}
