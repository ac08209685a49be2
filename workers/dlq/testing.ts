import { readBusConfig } from "@pay/lib/config";

/** The memory bus with retries a test does not wait for. */
export const memoryConfig = {
  ...readBusConfig({ BUS: "memory" }),
  retryBackoffBaseMs: 1,
  retryBackoffCapMs: 2,
};
