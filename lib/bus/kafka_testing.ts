import { Kafka, logLevel } from "kafkajs";

/**
 * Deletes the topics and consumer groups whose names start with `prefix`:
 * what a test run created on a shared cluster under its KAFKA_TOPIC_PREFIX.
 */
export async function deleteKafkaNames(brokers: string, prefix: string): Promise<void> {
  if (prefix === "") throw new Error("Refusing to delete every topic: the prefix is empty");
  const admin = new Kafka({ brokers: brokers.split(","), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics });
    const { groups } = await admin.listGroups();
    const groupIds = groups.map((g) => g.groupId).filter((id) => id.startsWith(prefix));
    if (groupIds.length > 0) await admin.deleteGroups(groupIds);
  } finally {
    await admin.disconnect();
  }
}
