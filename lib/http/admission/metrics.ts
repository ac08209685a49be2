import { prom, type Registry } from "../../metrics/mod.ts";
import { AdmissionController, type AdmissionSettings, type ShedReason } from "./controller.ts";

/**
 * An admission controller whose state is exported on `registry` as
 * `<service>_admission_limit`, `_in_flight`, `_queued`, `_min_rtt_seconds`
 * (read at scrape time) and `_shed_total` by reason.
 */
export function createMeasuredAdmission(
  settings: AdmissionSettings,
  registry: Registry,
  service: string,
): AdmissionController {
  const registers = [registry];
  const shed = new prom.Counter({
    name: `${service}_admission_shed_total`,
    help: "Requests refused by admission control (503 + Retry-After), by reason",
    labelNames: ["reason"],
    registers,
  });
  const byReason: Record<ShedReason, prom.Counter.Internal> = {
    queue_full: shed.labels("queue_full"),
    queue_timeout: shed.labels("queue_timeout"),
  };
  const controller = new AdmissionController(settings, {
    onShed: (reason) => byReason[reason].inc(),
  });
  const gauges: Array<[string, string, () => number]> = [
    ["limit", "Current adaptive concurrency limit", () => controller.limit.limit],
    ["in_flight", "Admitted requests in flight", () => controller.inFlight],
    ["queued", "Requests waiting for a slot", () => controller.queued],
    [
      "min_rtt_seconds",
      "No-load latency of the last probe, the limit's reference",
      () => controller.limit.minRttMs / 1000,
    ],
  ];
  for (const [suffix, help, read] of gauges) {
    new prom.Gauge({
      name: `${service}_admission_${suffix}`,
      help,
      registers,
      collect() {
        this.set(read());
      },
    });
  }
  return controller;
}
