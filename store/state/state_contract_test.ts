import { createMemoryState } from "./memory.ts";
import { contractTtlMs, storeStateContract } from "./state_contract.ts";
import { createSqliteState } from "./sqlite.ts";

storeStateContract({
  name: "memory",
  open() {
    const state = createMemoryState(contractTtlMs);
    return Promise.resolve({ state, close: () => state.close() });
  },
});

storeStateContract({
  name: "sqlite",
  async open() {
    const dataDir = await Deno.makeTempDir({ prefix: "store_state_" });
    const state = createSqliteState(dataDir, contractTtlMs);
    return {
      state,
      async close() {
        await state.close();
        await Deno.remove(dataDir, { recursive: true });
      },
    };
  },
});
