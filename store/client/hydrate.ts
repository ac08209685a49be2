/**
 * Browser side of islands: hydrates every <store-island> of one island with
 * the props the server rendered it with. Each island's entry module (made by
 * build/build_islands.ts) calls this once.
 */
import { type ComponentType, h, hydrate } from "preact";

// deno-lint-ignore no-explicit-any
export function hydrateIslands(name: string, component: ComponentType<any>): void {
  const selector = `store-island[data-island="${name}"]`;
  for (const element of document.querySelectorAll(selector)) {
    const props = JSON.parse(element.getAttribute("data-props") ?? "{}");
    hydrate(h(component, props), element);
  }
}
