import assert from "node:assert/strict";
import { parse } from "yaml";
import * as config from "@pay/lib/config";

interface ComposeService {
  image?: string;
  volumes?: string[];
  build?: unknown;
  command?: string[];
  environment?: Record<string, string | number>;
  deploy?: { replicas?: number };
  healthcheck?: unknown;
  depends_on?: Record<string, { condition: string }> | string[];
}

const compose = parse(
  await Deno.readTextFile(new URL("../../compose.yaml", import.meta.url)),
) as { services: Record<string, ComposeService> };

/** `${NAME:-default}` as compose resolves it with NAME unset. */
function resolveDefaults(value: string): string {
  return value.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, "$1");
}

function envOf(service: ComposeService): Record<string, string> {
  return Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([k, v]) => [k, resolveDefaults(String(v))]),
  );
}

const platformServices = ["pgsim", "ingest", "gateway", "workers", "store", "ops", "bootstrap"];

Deno.test("compose.yaml runs every component of DESIGN §2", () => {
  for (
    const name of [
      "mariadb",
      "redis",
      "kafka",
      "bootstrap",
      ...platformServices,
      "prometheus",
      "grafana",
    ]
  ) {
    assert.ok(compose.services[name], `service ${name} is missing`);
  }
  assert.equal(compose.services.ingest!.deploy?.replicas, 2, "ingest runs 2 replicas");
  assert.equal(envOf(compose.services.gateway!).INGEST_UPSTREAMS, "dns:ingest:8181");
  assert.equal(envOf(compose.services.workers!).BUS, "kafka");
  for (
    const name of [
      "mariadb",
      "redis",
      "kafka",
      "pgsim",
      "ingest",
      "gateway",
      "workers",
      "store",
      "ops",
    ]
  ) {
    assert.ok(compose.services[name]!.healthcheck, `${name} has a healthcheck`);
  }
});

Deno.test("Redis keeps an append-only file, fsynced every second, on a volume", () => {
  const redis = compose.services.redis!;
  const flag = (name: string) => redis.command?.[redis.command.indexOf(name) + 1];
  assert.equal(flag("--appendonly"), "yes");
  assert.equal(flag("--appendfsync"), "everysec");
  assert.ok(redis.volumes?.some((v) => v.endsWith(":/data")), "the AOF lives on a volume");
});

Deno.test("every platform service's compose environment satisfies lib/config", async () => {
  const readers = Object.entries(config).filter(([name, value]) =>
    name.startsWith("read") && name.endsWith("Config") && typeof value === "function"
  ) as Array<[string, (env: config.Env) => unknown]>;
  assert.ok(readers.length >= 10, `found ${readers.length} config readers`);
  for (const name of platformServices) {
    const env = envOf(compose.services[name]!);
    for (const [reader, read] of readers) {
      try {
        await read(env);
      } catch (error) {
        assert.fail(
          `${name}: ${reader} rejects the compose environment: ${(error as Error).message}`,
        );
      }
    }
  }
});

Deno.test("each service's entry module exists", async () => {
  for (const name of platformServices) {
    const entry = compose.services[name]!.command?.[0];
    assert.ok(entry, `${name} has a command`);
    await Deno.stat(new URL(`../../${entry}`, import.meta.url));
  }
});
