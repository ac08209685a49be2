/** Files of the embedded profile (SQLite through Deno's built-in node:sqlite). */
export * from "./data_file.ts";
export * from "./busy.ts";
