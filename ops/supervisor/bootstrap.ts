import { type Env, readMerchantConfig, readStorageConfig } from "@pay/lib/config";
import { ensureDevMerchant, migrateStorage, openStorage } from "@pay/lib/db";

/**
 * What must exist before services start: the schema (migrations) and the
 * development merchant with its configured key. Idempotent; run by
 * `deno task start` and by compose's one-shot `bootstrap` service.
 */
export async function bootstrap(env: Env, log: (line: string) => void): Promise<void> {
  const storage = readStorageConfig(env);
  const merchant = readMerchantConfig(env);
  await migrateStorage(storage, log);
  const db = await openStorage(storage, { poolSizeMax: 1 });
  try {
    await ensureDevMerchant(db, {
      merchantId: merchant.devMerchantId,
      name: merchant.devMerchantName,
      apiKey: merchant.devApiKey,
      formerApiKeys: merchant.formerDevApiKeys,
    });
  } finally {
    await db.close();
  }
  log(`Dev merchant ${merchant.devMerchantId} is ready`);
}
