/**
 * Languages (ko, en), message catalogs and formatting of amounts and times,
 * shared by the shop and the ops console. See README.md.
 */
export * from "./locale.ts";
export * from "./format.ts";
export * from "./messages.ts";
