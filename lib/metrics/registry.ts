import client from "prom-client";

export { client as prom };
export type Registry = client.Registry;

/**
 * A fresh registry per service (and per test) so metrics never leak between
 * apps in one process. Memory comes from Deno.memoryUsage(), which works with
 * narrow permissions, unlike prom-client's /proc readers.
 */
export function createRegistry(service: string): client.Registry {
  const registry = new client.Registry();
  registry.setDefaultLabels({ service });
  new client.Gauge({
    name: "process_resident_memory_bytes",
    help: "Resident memory size in bytes",
    registers: [registry],
    collect() {
      this.set(Deno.memoryUsage().rss);
    },
  });
  new client.Gauge({
    name: "process_heap_used_bytes",
    help: "V8 heap in use in bytes",
    registers: [registry],
    collect() {
      this.set(Deno.memoryUsage().heapUsed);
    },
  });
  return registry;
}

/** Latency buckets in seconds, from 0.5 ms to 10 s: covers a cache hit to a PG timeout. */
export const latencyBucketsSeconds = [
  0.0005,
  0.001,
  0.0025,
  0.005,
  0.01,
  0.025,
  0.05,
  0.1,
  0.25,
  0.5,
  1,
  2.5,
  5,
  10,
];

export async function metricsResponse(registry: client.Registry): Promise<Response> {
  return new Response(await registry.metrics(), {
    headers: { "content-type": registry.contentType },
  });
}
