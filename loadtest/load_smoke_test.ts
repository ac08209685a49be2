/**
 * The load generator's smoke run on the embedded profile, the default: the
 * stack's rows in a SQLite file in its data folder, the embedded bus, no
 * MariaDB or Redis. On MariaDB and Redis: load_smoke_scale_out_test.ts.
 */
import { loadSmokeTest } from "./testing/load_smoke.ts";

loadSmokeTest("embedded", () =>
  Promise.resolve({
    // The stack puts the file in its own data folder (STORAGE_SQLITE_PATH unset).
    env: { STORAGE: "sqlite" },
    close: () => Promise.resolve(),
  }));
