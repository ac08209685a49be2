import { processEnv, readDbConfig, readRedisConfig } from "../config/mod.ts";

/**
 * The services a test file may need beyond Deno. A file that cannot run
 * without one says so in a line of its own near its top:
 *
 *     // test-needs: mariadb, redis
 *
 * `deno task test` (run_tests.ts) leaves such a file out, in one visible
 * line, when a service it names is unreachable, and fails instead when
 * REQUIRE_SERVICES names that service (CI). A file that needs a service
 * without saying so fails loudly on a machine without it: nothing is skipped
 * silently.
 */
export const testServices = ["mariadb", "redis"] as const;
export type TestService = (typeof testServices)[number];

const needsLine = /^\/\/ test-needs:(.*)$/gm;

/**
 * The services a test file's source declares it needs. A declaration that
 * names no service or an unknown one, or a second declaration, throws: a typo
 * must not leave a file unmarked.
 */
export function declaredNeeds(source: string): TestService[] {
  const lines = [...source.matchAll(needsLine)];
  if (lines.length === 0) return [];
  if (lines.length > 1) {
    throw new Error(`One "// test-needs:" line per file (got ${lines.length})`);
  }
  const names = serviceNames(lines[0]![1]!, '"// test-needs:"');
  if (names.length === 0) throw new Error('A "// test-needs:" line names no service');
  return names;
}

/** Comma-separated service names, each checked; `where` names the list in errors. */
function serviceNames(list: string, where: string): TestService[] {
  const names = list.split(",").map((name) => name.trim()).filter(Boolean);
  for (const name of names) {
    if (!testServices.includes(name as TestService)) {
      throw new Error(`Unknown service in ${where}: ${name} (known: ${testServices.join(", ")})`);
    }
  }
  return names as TestService[];
}

/** REQUIRE_SERVICES: the services whose absence fails the run (comma-separated). */
export function requiredServices(value: string | undefined): TestService[] {
  return serviceNames(value ?? "", "REQUIRE_SERVICES");
}

/** Where a service is expected, from the same variables the platform reads. */
export interface ServiceAddress {
  readonly service: TestService;
  /** For messages: host:port or the socket path. */
  readonly where: string;
  readonly connect: Deno.ConnectOptions | Deno.UnixConnectOptions;
}

export function serviceAddress(service: TestService, env = processEnv()): ServiceAddress {
  if (service === "mariadb") {
    const db = readDbConfig(env);
    return db.socketPath
      ? { service, where: db.socketPath, connect: { transport: "unix", path: db.socketPath } }
      : { service, where: `${db.host}:${db.port}`, connect: { hostname: db.host, port: db.port } };
  }
  const url = new URL(readRedisConfig(env).url);
  const port = Number(url.port || 6379);
  return { service, where: `${url.hostname}:${port}`, connect: { hostname: url.hostname, port } };
}

const probeTimeoutMs = 2_000;

/** Undefined when the service accepts a connection, else why not (ECONNREFUSED, timeout...). */
export async function unreachableReason(address: ServiceAddress): Promise<string | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const connection = await Promise.race([
      Deno.connect(address.connect as Deno.ConnectOptions),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer in ${probeTimeoutMs} ms`)),
          probeTimeoutMs,
        );
      }),
    ]);
    connection.close();
    return undefined;
  } catch (error) {
    if (error instanceof Deno.errors.ConnectionRefused) return "connection refused";
    if (error instanceof Deno.errors.NotFound) return "no such socket";
    return error instanceof Error ? error.message.split("\n")[0] : String(error);
  } finally {
    clearTimeout(timer);
  }
}

let mariadbProbe: Promise<string | undefined> | undefined;

/** Whether MariaDB answers (probed once per process): freshTestDatabase's default storage. */
export function mariadbReachable(): Promise<boolean> {
  mariadbProbe ??= unreachableReason(serviceAddress("mariadb"));
  return mariadbProbe.then((reason) => reason === undefined);
}
