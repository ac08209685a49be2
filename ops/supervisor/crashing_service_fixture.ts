/**
 * A service for the supervisor's tests: answers /health with its pid and
 * exits with code 3 when asked to crash (POST /crash).
 */
const port = Number(Deno.env.get("FIXTURE_PORT"));
Deno.serve({ hostname: "127.0.0.1", port, onListen: () => {} }, (request) => {
  if (new URL(request.url).pathname === "/crash") {
    setTimeout(() => Deno.exit(3), 10);
    return new Response("crashing");
  }
  return Response.json({ status: "ok", pid: Deno.pid });
});
