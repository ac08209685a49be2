import { sql } from "./batch.ts";
import type { Db } from "./port.ts";

/** Events the consumer group `group` has recorded as handled (its inbox rows). */
export async function countHandledEvents(pool: Db, group: string): Promise<number> {
  const rows = await pool.query(sql(
    "SELECT COUNT(*) AS n FROM consumer_inbox WHERE consumer_group = ?",
    group,
  ));
  return Number(rows[0]?.n ?? 0);
}
