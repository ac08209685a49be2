import { type Env, readDbConfig, readMerchantConfig } from "@pay/lib/config";
import { createPool, ensureDevMerchant, migrate } from "@pay/lib/db";

/**
 * What must exist before services start: the schema (migrations) and the
 * development merchant with its configured key. Idempotent; run by
 * `deno task start` and by compose's one-shot `bootstrap` service.
 */
export async function bootstrap(env: Env, log: (line: string) => void): Promise<void> {
  const dbConfig = readDbConfig(env);
  const merchant = readMerchantConfig(env);
  await migrate(dbConfig, log);
  const pool = createPool(dbConfig);
  try {
    await ensureDevMerchant(pool, {
      merchantId: merchant.devMerchantId,
      name: merchant.devMerchantName,
      apiKey: merchant.devApiKey,
    });
  } finally {
    await pool.close();
  }
  log(`Dev merchant ${merchant.devMerchantId} is ready`);
}
