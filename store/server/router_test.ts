import assert from "node:assert/strict";
import { compareRoutePaths, matchRoute, type Route, routePathOf } from "./router.ts";

Deno.test("route files map to paths like Fresh", () => {
  assert.equal(routePathOf("index.tsx"), "/");
  assert.equal(routePathOf("cart.tsx"), "/cart");
  assert.equal(routePathOf("products/[slug].tsx"), "/products/:slug");
  assert.equal(routePathOf("orders/index.tsx"), "/orders");
  assert.equal(routePathOf("orders/[id]/events.ts"), "/orders/:id/events");
});

Deno.test("shells, private files, tests and non-modules are not routes", () => {
  assert.equal(routePathOf("_app.tsx"), undefined);
  assert.equal(routePathOf("_404.tsx"), undefined);
  assert.equal(routePathOf("cart_test.ts"), undefined);
  assert.equal(routePathOf("README.md"), undefined);
});

Deno.test("an unsupported segment is refused with the file named", () => {
  assert.throws(() => routePathOf("products/[...rest].tsx"), /products\/\[\.\.\.rest\]\.tsx/);
});

Deno.test("static segments are matched before parameters", () => {
  const paths = ["/orders/:id", "/", "/orders/:id/events", "/orders/latest", "/orders"];
  const routes: Route[] = paths.sort(compareRoutePaths).map((path) => ({
    path,
    file: path,
    pattern: new URLPattern({ pathname: path }),
    module: { handler: {} },
  }));
  assert.deepEqual(routes.map((r) => r.path), [
    "/orders/latest",
    "/orders/:id/events",
    "/orders/:id",
    "/",
    "/orders",
  ]);
  assert.equal(matchRoute(routes, new URL("http://x/orders/latest"))?.route.path, "/orders/latest");
  const dynamic = matchRoute(routes, new URL("http://x/orders/ord_1"));
  assert.equal(dynamic?.route.path, "/orders/:id");
  assert.deepEqual(dynamic?.params, { id: "ord_1" });
  assert.equal(matchRoute(routes, new URL("http://x/nothing")), undefined);
});
