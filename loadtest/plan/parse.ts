import type { RatePlan, Stage } from "./stages.ts";

const unitMs = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;

/** Longest plan accepted: a load run here is bounded; a typo like `60m` for `60s` should not run for an hour unnoticed. */
export const planDurationMsMax = 2 * 3_600_000;
/** Highest rate accepted (iterations/s): far above what one machine can send, so only typos hit it. */
export const rateMax = 1_000_000;

/** `1m30s`, `45s`, `250ms`, `2h` (k6's duration syntax) to milliseconds. */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== trimmed) {
    throw new Error(`Expected a duration like 30s, 1m30s or 500ms: ${text}`);
  }
  return parts.reduce(
    (sum, p) => sum + Number(p[1]) * unitMs[p[2] as keyof typeof unitMs],
    0,
  );
}

/** A rate (iterations/s) given as text. */
export function parseRate(text: string, what = "rate"): number {
  const rate = Number(text.trim());
  if (
    text.trim() === "" || !Number.isFinite(rate) || rate < 0 || rate > rateMax
  ) {
    throw new Error(
      `Expected ${what} between 0 and ${rateMax} per second: ${text}`,
    );
  }
  return rate;
}

/**
 * `--stages` text: comma-separated `[name=]duration:target`, e.g.
 * `warm-up=30s:100,1m:200,cool-down=30s:0`. Unnamed stages are numbered.
 */
export function parseStages(text: string): Stage[] {
  const items = text.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (items.length === 0) {
    throw new Error(`Expected stages like 30s:100,1m:200: ${text}`);
  }
  return items.map((item, i) => {
    const match = /^(?:([A-Za-z0-9_-]{1,32})=)?([0-9.a-z]+):([0-9.]+)$/.exec(
      item,
    );
    if (!match) {
      throw new Error(`Expected a stage like [name=]30s:100: ${item}`);
    }
    return {
      name: match[1] ?? `stage-${i + 1}`,
      durationMs: parseDuration(match[2]!),
      target: parseRate(match[3]!, "a stage target"),
    };
  });
}

/**
 * A plan in k6's shape, from a JSON file's text:
 * `{"startRate": 20, "stages": [{"name": "warm-up", "duration": "30s", "target": 100}]}`.
 * The `scenarios.<name>` object of a k6 options block has these fields too.
 */
export function parsePlanJson(text: string): RatePlan {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`Stages file is not JSON: ${(error as Error).message}`);
  }
  const raw = value as { startRate?: unknown; stages?: unknown };
  if (typeof raw !== "object" || raw === null || !Array.isArray(raw.stages)) {
    throw new Error('Stages file must be an object with a "stages" array');
  }
  const stages = raw.stages.map((s: unknown, i: number): Stage => {
    const stage = s as { name?: unknown; duration?: unknown; target?: unknown };
    if (
      typeof stage?.duration !== "string" || typeof stage.target !== "number"
    ) {
      throw new Error(
        `Stage ${i + 1} needs "duration" (text like "30s") and "target" (number)`,
      );
    }
    return {
      name: typeof stage.name === "string" ? stage.name : `stage-${i + 1}`,
      durationMs: parseDuration(stage.duration),
      target: parseRate(String(stage.target), "a stage target"),
    };
  });
  const startRate = raw.startRate === undefined ? 0 : parseRate(String(raw.startRate), "startRate");
  return checkPlan({ startRate, stages });
}

/** Refuses empty, endless or absurd plans with a message naming the problem. */
export function checkPlan(plan: RatePlan): RatePlan {
  if (plan.stages.length === 0) throw new Error("The plan has no stages");
  const totalMs = plan.stages.reduce((sum, s) => sum + s.durationMs, 0);
  if (totalMs > planDurationMsMax) {
    throw new Error(
      `The plan lasts ${totalMs / 1000} s, more than ${planDurationMsMax / 1000} s`,
    );
  }
  for (const stage of plan.stages) {
    if (!(stage.durationMs > 0)) {
      throw new Error(`Stage ${stage.name} has no duration`);
    }
  }
  return plan;
}
