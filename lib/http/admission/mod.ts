/** Admission control: an adaptive concurrency limit with a bounded queue, as Hono middleware. */
export * from "./gradient_limit.ts";
export * from "./controller.ts";
export * from "./middleware.ts";
export * from "./metrics.ts";
