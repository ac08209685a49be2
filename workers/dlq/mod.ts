/** Dead letters: the archive consumer, listing and replay (ops calls these). */
export * from "./archive_consumer.ts";
export * from "./archive.ts";
export * from "./replay.ts";
