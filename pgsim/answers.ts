import { pgHeaders, type PgProblem, pgProblemContentType, type SimAnswer } from "@pay/lib/pg";

const jsonContentType = "application/json";

export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": jsonContentType },
  });
}

export function problemResponse(problem: PgProblem): Response {
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { "content-type": pgProblemContentType },
  });
}

/** The engine's answer as sent: a decline (402) is a result, other 4xx/5xx are problems. */
export function simAnswerResponse(answer: SimAnswer): Response {
  const isProblem = answer.status >= 400 && answer.status !== 402;
  const headers = new Headers({
    "content-type": isProblem ? pgProblemContentType : jsonContentType,
  });
  if (answer.replayed) headers.set(pgHeaders.replayed, "true");
  return new Response(answer.body, { status: answer.status, headers });
}
