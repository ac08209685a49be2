/**
 * The cheapest possible upstream for proxy benchmarks: answers every request
 * with a small JSON body, no checks. Args: [port=0]. Prints its port first.
 */
const body = JSON.stringify({ paymentId: "pay_bench", status: "AUTHORIZED", amount: 1000 });
Deno.serve({
  port: Number(Deno.args[0] ?? 0),
  hostname: "127.0.0.1",
  onListen: ({ port }) => console.log(port),
}, async (request) => {
  if (request.body) await request.arrayBuffer();
  return new Response(body, { headers: { "content-type": "application/json" } });
});
