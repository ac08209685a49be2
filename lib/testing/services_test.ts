import assert from "node:assert/strict";
import { declaredNeeds, requiredServices, serviceAddress, unreachableReason } from "./services.ts";
import { freePort } from "./processes.ts";

// Sources are built line by line: a line of this file starting with the marker would declare it.
const source = (...lines: string[]) => lines.join("\n");
const marker = "// test-needs:";

Deno.test("a test file declares the services it needs in a line of its own", () => {
  assert.deepEqual(declaredNeeds(source("/** No needs. */", "import x from 'y';")), []);
  assert.deepEqual(declaredNeeds(source("/** About MariaDB. */", `${marker} mariadb`)), [
    "mariadb",
  ]);
  assert.deepEqual(declaredNeeds(source(`${marker} mariadb, redis`, "import x from 'y';")), [
    "mariadb",
    "redis",
  ]);
  assert.deepEqual(declaredNeeds(source(`${marker}redis ,`)), ["redis"]);
  // Only a line of its own declares: not a doc comment that shows the form, not a string.
  assert.deepEqual(
    declaredNeeds(source(` *     ${marker} redis`, `const s = "${marker} redis";`)),
    [],
  );
});

Deno.test("a declaration that names no service, an unknown one or comes twice throws", () => {
  assert.throws(
    () => declaredNeeds(`${marker} MariaDB`),
    /^Error: Unknown service in "\/\/ test-needs:": MariaDB \(known: mariadb, redis\)$/,
  );
  assert.throws(() => declaredNeeds(`${marker} kafka`), /Unknown service .*: kafka/);
  assert.throws(
    () => declaredNeeds(`${marker} `),
    /^Error: A "\/\/ test-needs:" line names no service$/,
  );
  assert.throws(
    () => declaredNeeds(source(`${marker} mariadb`, `${marker} redis`)),
    /^Error: One "\/\/ test-needs:" line per file \(got 2\)$/,
  );
});

Deno.test("REQUIRE_SERVICES is a trimmed comma-separated list of known services", () => {
  assert.deepEqual(requiredServices(undefined), []);
  assert.deepEqual(requiredServices(""), []);
  assert.deepEqual(requiredServices(" mariadb , redis"), ["mariadb", "redis"]);
  assert.deepEqual(requiredServices("redis,"), ["redis"]);
  assert.throws(
    () => requiredServices("mariadb,postgres"),
    /^Error: Unknown service in REQUIRE_SERVICES: postgres \(known: mariadb, redis\)$/,
  );
});

Deno.test("services are probed where the platform's variables say", () => {
  assert.deepEqual(serviceAddress("mariadb", {}), {
    service: "mariadb",
    where: "127.0.0.1:3306",
    connect: { hostname: "127.0.0.1", port: 3306 },
  });
  assert.deepEqual(serviceAddress("mariadb", { DB_SOCKET: "/run/mysqld/mysqld.sock" }), {
    service: "mariadb",
    where: "/run/mysqld/mysqld.sock",
    connect: { transport: "unix", path: "/run/mysqld/mysqld.sock" },
  });
  assert.deepEqual(serviceAddress("redis", { REDIS_URL: "redis://cache.internal:6380/2" }), {
    service: "redis",
    where: "cache.internal:6380",
    connect: { hostname: "cache.internal", port: 6380 },
  });
  assert.equal(
    serviceAddress("redis", { REDIS_URL: "redis://cache.internal" }).where,
    "cache.internal:6379",
  );
});

Deno.test("a listening port is reachable; a closed port and a missing socket say why not", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const port = listener.addr.port;
    const open = {
      service: "redis",
      where: `127.0.0.1:${port}`,
      connect: { hostname: "127.0.0.1", port },
    } as const;
    const accepting = listener.accept().then((connection) => connection.close());
    assert.equal(await unreachableReason(open), undefined);
    await accepting;
  } finally {
    listener.close();
  }
  const closed = serviceAddress("redis", { REDIS_URL: `redis://127.0.0.1:${freePort()}` });
  assert.equal(await unreachableReason(closed), "connection refused");
  const dir = await Deno.makeTempDir({ prefix: "services_test_" });
  try {
    const missing = serviceAddress("mariadb", { DB_SOCKET: `${dir}/mysqld.sock` });
    assert.equal(await unreachableReason(missing), "no such socket");
  } finally {
    await Deno.remove(dir);
  }
});
