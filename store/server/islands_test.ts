import assert from "node:assert/strict";
import { h } from "preact";
import { renderToString } from "preact-render-to-string";
import { assertSerializable, collectIslands, registerIsland } from "./islands.ts";

function Outer(props: { label: string }) {
  return h("div", { class: "outer" }, props.label, h(Inner, { count: 2 }));
}
function Inner(props: { count: number }) {
  return h("span", null, String(props.count));
}
registerIsland("TestOuter", Outer);
registerIsland("TestInner", Inner);

Deno.test("an island renders inside a marker with its props and is recorded", () => {
  const { result, islands } = collectIslands(() =>
    renderToString(h("main", null, h(Inner, { count: 7 })))
  );
  assert.equal(
    result,
    '<main><store-island data-island="TestInner" data-props="{&quot;count&quot;:7}"><span>7</span></store-island></main>',
  );
  assert.deepEqual([...islands], ["TestInner"]);
});

Deno.test("an island inside another island is hydrated by the outer one only", () => {
  const { result, islands } = collectIslands(() => renderToString(h(Outer, { label: "x" })));
  assert.equal(result.match(/<store-island/g)?.length, 1);
  assert.deepEqual([...islands], ["TestOuter"]);
});

Deno.test("pages without islands record none", () => {
  const { islands } = collectIslands(() => renderToString(h("p", null, "plain")));
  assert.equal(islands.size, 0);
});

Deno.test("island props must be JSON-serializable", () => {
  assertSerializable("X", { a: [1, "b", null, { c: true }], skipped: undefined });
  assert.throws(
    () => assertSerializable("X", { onClick: () => {} }),
    /X props\.onClick \(function\)/,
  );
  assert.throws(() => assertSerializable("X", { when: new Date() }), /X props\.when/);
  assert.throws(() => assertSerializable("X", { n: Number.NaN }), /not finite/);
  assert.throws(
    () => renderToString(h(Inner, { count: 1, extra: new Map() } as never)),
    /TestInner props\.extra/,
  );
});
