import assert from "node:assert/strict";
import { parse } from "yaml";
import { freePort, freshTestDatabase, type ServiceProcess, startService } from "@pay/lib/testing";
import { dashboards, renderDashboard } from "./grafana/dashboards.ts";
import { declaredFamilies, metricNamesIn } from "./promql.ts";

const here = new URL("./", import.meta.url);

async function promtool(...args: string[]): Promise<string> {
  let output: Deno.CommandOutput;
  try {
    output = await new Deno.Command("promtool", { args, cwd: here.pathname }).output();
  } catch (error) {
    throw new Error(`promtool is required (apt-get install prometheus): ${error}`);
  }
  const text = new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, text);
  return text;
}

Deno.test("promtool accepts the Prometheus config and alert rules, and the rule unit tests pass", async () => {
  await promtool("check", "config", "prometheus.yml");
  assert.match(await promtool("check", "rules", "alerts.yml"), /SUCCESS: \d+ rules found/);
  assert.match(await promtool("test", "rules", "alerts_test.yml"), /SUCCESS/);
});

Deno.test("the committed Grafana dashboards are the generated ones", async () => {
  for (const [file, build] of Object.entries(dashboards)) {
    const committed = await Deno.readTextFile(new URL(`grafana/dashboards/${file}`, here));
    assert.equal(
      committed,
      renderDashboard(build),
      `run deno task monitoring:dashboards (${file})`,
    );
  }
});

interface AlertFile {
  groups: Array<{ rules: Array<{ alert: string; expr: string }> }>;
}

/** Every metric an alert or a dashboard panel queries, with where it is used. */
async function queriedMetrics(): Promise<Map<string, string>> {
  const used = new Map<string, string>();
  const alerts = parse(await Deno.readTextFile(new URL("alerts.yml", here))) as AlertFile;
  for (const rule of alerts.groups.flatMap((g) => g.rules)) {
    for (const name of metricNamesIn(rule.expr)) used.set(name, `alert ${rule.alert}`);
  }
  for (const [file, build] of Object.entries(dashboards)) {
    const board = build() as { panels: Array<{ title: string; targets: Array<{ expr: string }> }> };
    for (const panel of board.panels) {
      for (const target of panel.targets) {
        for (const name of metricNamesIn(target.expr)) used.set(name, `${file}: ${panel.title}`);
      }
    }
  }
  return used;
}

Deno.test("every metric a dashboard or alert rule queries is exported by a running service", async () => {
  // Embedded, so that it runs on any machine: every queried family is exported without Redis too.
  const db = await freshTestDatabase("monitoring_scrape");
  const dataDir = await Deno.makeTempDir({ prefix: "monitoring_scrape_" });
  const base = { ...db.env, PROFILE: "embedded", DATA_DIR: dataDir, LOG_ACCESS: "false" };
  const ports = {
    pgsim: freePort(),
    ingest: freePort(),
    gateway: freePort(),
    workers: freePort(),
    store: freePort(),
    ops: freePort(),
  };
  const pgUrl = `http://127.0.0.1:${ports.pgsim}`;
  const services: ServiceProcess[] = [];
  try {
    const start = async (name: string, entry: string, port: number, env: Record<string, string>) =>
      services.push(await startService({ name, entry, port, env: { ...base, ...env } }));
    await start("pgsim", "pgsim/main.ts", ports.pgsim, { PGSIM_PORT: String(ports.pgsim) });
    await start("ingest", "ingest/main.ts", ports.ingest, {
      INGEST_PORT: String(ports.ingest),
      PG_URL: pgUrl,
    });
    await start("gateway", "gateway/main.ts", ports.gateway, {
      GATEWAY_PORT: String(ports.gateway),
      INGEST_UPSTREAMS: `http://127.0.0.1:${ports.ingest}`,
    });
    await start("workers", "workers/main.ts", ports.workers, {
      WORKERS_PORT: String(ports.workers),
      PG_URL: pgUrl,
    });
    await start("store", "store/main.ts", ports.store, {
      STORE_PORT: String(ports.store),
      GATEWAY_URL: `http://127.0.0.1:${ports.gateway}`,
    });
    await start("ops", "ops/main.ts", ports.ops, {
      OPS_PORT: String(ports.ops),
      OPS_SCRAPE_TARGETS:
        `gateway=http://127.0.0.1:${ports.gateway},workers=http://127.0.0.1:${ports.workers}`,
    });
    const exported = new Set<string>();
    for (const service of services) {
      const res = await fetch(`${service.url}/metrics`);
      assert.equal(res.status, 200, `${service.name} /metrics`);
      for (const family of declaredFamilies(await res.text())) exported.add(family);
    }
    const missing = [...(await queriedMetrics())].filter(([name]) => !exported.has(name))
      .map(([name, where]) => `${name} (${where})`);
    assert.deepEqual(missing, [], `queried but exported by no service: ${missing.join(", ")}`);
  } finally {
    for (const service of services.reverse()) await service.stop();
    await db.close();
    await Deno.remove(dataDir, { recursive: true });
  }
});
