import { memoryRateLimitStore } from "./memory_store.ts";
import { rateLimitStoreContract } from "./store_contract.ts";

rateLimitStoreContract({
  name: "memory",
  open: () => Promise.resolve({ store: memoryRateLimitStore(), close: () => Promise.resolve() }),
});
