import type { logCreator, LogEntry } from "kafkajs";
import { type BusLogger, errorText } from "./log.ts";

/**
 * Longest stack trace forwarded from a kafkajs log line. The first frames
 * locate the failure; kafkajs retries print the same stack many times.
 */
const stackCharsMax = 2_000;

/**
 * The fields of a kafkajs log line as the bus logs them: everything kafkajs
 * says (error, broker, retryCount, retryTime, groupId, ...) besides the
 * message, with Error values turned into text so they survive JSON.
 */
export function kafkaLogFields(entry: LogEntry): Record<string, unknown> {
  const { timestamp: _timestamp, logger: _logger, ...rest } = entry.log;
  const fields: Record<string, unknown> = { namespace: entry.namespace, level: entry.label };
  for (const [name, value] of Object.entries(rest)) {
    if (value instanceof Error) fields[name] = errorText(value);
    else if (name === "stack" && typeof value === "string") {
      fields[name] = value.slice(0, stackCharsMax);
    } else fields[name] = value;
  }
  return fields;
}

/** A kafkajs logCreator writing every line, with its reason, to the bus logger. */
export function kafkaLogCreator(logger: BusLogger): logCreator {
  return () => (entry) => logger("kafkajs", kafkaLogFields(entry));
}
