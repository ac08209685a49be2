import { defaultPorts, type PlatformPorts, platformServices } from "./services.ts";

/**
 * The README's 5-minute tour as steps a test can run: the `sh` block after
 * the tour marker, cut at blank lines. A step's leading comment says what it
 * answers after a `→`: an HTTP status (of the step's last curl call) and/or
 * a payment status its output shows, e.g. `→ 201 AUTHORIZED`.
 */
export const tourMarker = "<!-- tour: ops/supervisor/readme_tour_test.ts";

export interface TourStep {
  /** The step's lines as the README has them, comments included. */
  readonly text: string;
  readonly httpStatus?: number;
  readonly paymentStatus?: string;
}

/** The steps of the README's tour; throws when the README has none. */
export function tourSteps(readme: string): TourStep[] {
  const marker = readme.indexOf(tourMarker);
  const open = readme.indexOf("```sh\n", marker);
  const close = readme.indexOf("\n```", open);
  if (marker < 0 || open < 0 || close < 0) {
    throw new Error(`The README has no sh block after ${tourMarker}`);
  }
  return readme.slice(open + "```sh\n".length, close).split(/\n\s*\n/).map(stepOf);
}

function stepOf(text: string): TourStep {
  const comment = text.split("\n").filter((line) => line.startsWith("#")).join(" ");
  const expected = /→\s*(\d{3})?\s*([A-Z][A-Z_]+)?/.exec(comment);
  return {
    text,
    ...(expected?.[1] ? { httpStatus: Number(expected[1]) } : {}),
    ...(expected?.[2] ? { paymentStatus: expected[2] } : {}),
  };
}

/** The tour's text with every default port moved to the platform's (a test's own ports). */
export function withPorts(text: string, ports: PlatformPorts): string {
  const moved = platformServices(ports);
  const portOf = new Map(
    platformServices(defaultPorts).map((spec, i) => [spec.port, moved[i]!.port]),
  );
  return text.replace(
    /127\.0\.0\.1:(\d+)/g,
    (_address, port) => `127.0.0.1:${portOf.get(Number(port)) ?? port}`,
  );
}

/**
 * One bash script running the steps in order, each announced on stdout and
 * stderr (`@@step N`) so that outputs and curl's statuses can be told apart.
 * `set -e -o pipefail`: a failing command stops the tour where it failed.
 */
export function tourScript(steps: readonly TourStep[]): string {
  const announce = (n: number) => `echo "@@step ${n}"; echo "@@step ${n}" >&2`;
  return [
    "set -e -o pipefail",
    ...steps.flatMap((step, n) => [announce(n), step.text]),
    announce(steps.length),
  ].join("\n") + "\n";
}

/** What one step printed and the HTTP statuses of its curl calls, in order. */
export interface StepOutcome {
  readonly output: string;
  readonly httpStatuses: readonly number[];
}

/**
 * Splits the script's stdout and stderr by step. curl writes each status to
 * stderr as `@@status NNN` (the test's `.curlrc`, see curlStatusConfig).
 */
export function stepOutcomes(stdout: string, stderr: string, count: number): StepOutcome[] {
  const outputs = stdout.split(/@@step \d+\n/).slice(1);
  const statuses = stderr.split(/^@@step \d+$/m).slice(1).map((part) =>
    [...part.matchAll(/^@@status (\d{3})$/gm)].map((m) => Number(m[1]))
  );
  return Array.from({ length: count }, (_, n) => ({
    output: outputs[n] ?? "",
    httpStatuses: statuses[n] ?? [],
  }));
}

/** A `.curlrc` that leaves stdout as the tour shows it and tells each status on stderr. */
export const curlStatusConfig = 'write-out = "%{stderr}@@status %{http_code}\\n"\n';
