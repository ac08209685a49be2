import { type Context, Hono, type MiddlewareHandler } from "hono";
import {
  lookupSimAuthorization,
  pgProblem,
  priorSimAnswer,
  type SimRequest,
  testCardBehaviour,
} from "@pay/lib/pg";
import { jsonResponse, problemResponse, simAnswerResponse } from "../answers.ts";
import { settlementReportOf, utcDayStartMs } from "../reports.ts";
import { answer, hold, type PgsimRuntime } from "../runtime.ts";
import {
  amountBodySchema,
  authorizeBodySchema,
  cancelBodySchema,
  checkedIdempotencyKey,
  idempotencyKeyOf,
  parseBody,
} from "../validation.ts";

/** The PG API under /v1: authorize, lookup, capture, refund, cancel, settlement report. */
export function v1Routes(rt: PgsimRuntime): Hono {
  const v1 = new Hono();
  v1.use("*", injectFaults(rt));
  v1.post("/authorizations", (c) => authorize(rt, c));
  v1.get("/authorizations", (c) => lookup(rt, c));
  v1.post("/authorizations/:id/capture", (c) => amountOperation(rt, c, "capture"));
  v1.post("/authorizations/:id/refund", (c) => amountOperation(rt, c, "refund"));
  v1.post("/authorizations/:id/cancel", (c) => cancel(rt, c));
  v1.get("/settlements", (c) => settlements(rt, c));
  return v1;
}

/** Outage answers at once; otherwise the injected latency, then maybe an injected 503. */
function injectFaults(rt: PgsimRuntime): MiddlewareHandler {
  return async (c, next) => {
    if (rt.faults.current().outage) {
      return problemResponse(pgProblem("service_unavailable", "PG outage (injected)"));
    }
    if (!await hold(rt, c, rt.faults.drawLatencyMs())) return abandoned();
    if (rt.faults.drawFailure()) {
      return problemResponse(pgProblem("service_unavailable", "PG failure (injected)"));
    }
    await next();
  };
}

async function authorize(rt: PgsimRuntime, c: Context): Promise<Response> {
  const key = idempotencyKeyOf(c);
  if (!key.ok) return problemResponse(key.problem);
  const body = await parseBody(c, authorizeBodySchema);
  if (!body.ok) return problemResponse(body.problem);
  const request: SimRequest = { type: "authorize", idempotencyKey: key.value, body: body.value };
  const isTimeoutCard = testCardBehaviour(body.value.paymentMethod) === "timeout";
  if (isTimeoutCard && priorSimAnswer(rt.db, request) === undefined) {
    if (!await hold(rt, c, rt.config.timeoutTokenDelayMs)) return abandoned();
  }
  return answer(rt, request);
}

/** GET /v1/authorizations?idempotencyKey=…: what became of the authorization asked with that key. */
function lookup(rt: PgsimRuntime, c: Context): Response {
  const key = checkedIdempotencyKey(c.req.query("idempotencyKey"), "idempotencyKey");
  if (!key.ok) return problemResponse(key.problem);
  return simAnswerResponse(lookupSimAuthorization(rt.db, key.value));
}

async function amountOperation(
  rt: PgsimRuntime,
  c: Context,
  type: "capture" | "refund",
): Promise<Response> {
  const key = idempotencyKeyOf(c);
  if (!key.ok) return problemResponse(key.problem);
  const body = await parseBody(c, amountBodySchema);
  if (!body.ok) return problemResponse(body.problem);
  const authorizationId = c.req.param("id")!;
  return answer(rt, { type, idempotencyKey: key.value, authorizationId, body: body.value });
}

async function cancel(rt: PgsimRuntime, c: Context): Promise<Response> {
  const key = idempotencyKeyOf(c);
  if (!key.ok) return problemResponse(key.problem);
  const body = await parseBody(c, cancelBodySchema, {});
  if (!body.ok) return problemResponse(body.problem);
  const authorizationId = c.req.param("id")!;
  return answer(rt, {
    type: "cancel",
    idempotencyKey: key.value,
    authorizationId,
    body: body.value,
  });
}

function settlements(rt: PgsimRuntime, c: Context): Response {
  const date = c.req.query("date") ?? "";
  const dayStartMs = utcDayStartMs(date);
  if (dayStartMs === undefined) {
    return problemResponse(
      pgProblem("validation_error", `date must be a UTC date YYYY-MM-DD: ${date}`, "date"),
    );
  }
  return jsonResponse(settlementReportOf(rt.db, date, dayStartMs, rt.config.recordsMax));
}

/** The caller went away or pgsim is closing: nobody reads this answer. */
function abandoned(): Response {
  return problemResponse(pgProblem("service_unavailable", "Request abandoned"));
}
