/**
 * Islands on the server. Components in islands/ are registered by name; a
 * Preact `options.vnode` hook (the same trick Fresh uses) wraps every use of
 * one in a <store-island> element carrying its name and JSON props, and
 * records which islands a render used so only those pages get scripts. An
 * island inside another island is plain markup: the outer one hydrates it.
 */
import { type ComponentType, createContext, h, options, type VNode } from "preact";
import { useContext } from "preact/hooks";

// deno-lint-ignore no-explicit-any
type AnyComponent = ComponentType<any>;

const islandNames = new Map<AnyComponent, string>();

export function registerIsland(name: string, component: AnyComponent): void {
  const existing = islandNames.get(component);
  if (existing && existing !== name) throw new Error(`Island registered twice: ${name}`);
  islandNames.set(component, name);
}

let collecting: Set<string> | undefined;

/** Runs a synchronous render and returns the names of the islands it rendered. */
export function collectIslands<T>(render: () => T): { result: T; islands: Set<string> } {
  const previous = collecting;
  const islands = new Set<string>();
  collecting = islands;
  try {
    return { result: render(), islands };
  } finally {
    collecting = previous;
  }
}

const insideIsland = createContext(false);

interface BoundaryProps {
  readonly island: string;
  readonly component: AnyComponent;
  readonly props: Record<string, unknown>;
}

/** Set while the boundary creates the island's own vnode, which the hook must leave alone. */
let bypassHook = false;

function unwrapped(component: AnyComponent, props: Record<string, unknown>): VNode {
  bypassHook = true;
  try {
    return h(component, props);
  } finally {
    bypassHook = false;
  }
}

function IslandBoundary({ island, component, props }: BoundaryProps) {
  if (useContext(insideIsland)) return unwrapped(component, props);
  assertSerializable(island, props);
  collecting?.add(island);
  return h(
    "store-island",
    { "data-island": island, "data-props": JSON.stringify(props) },
    h(insideIsland.Provider, { value: true }, unwrapped(component, props)),
  );
}

/** Island props cross to the browser as JSON: functions, class instances and JSX cannot. */
export function assertSerializable(island: string, value: unknown, path = "props"): void {
  if (value === null || typeof value === "string" || typeof value === "boolean") return;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`Island prop is not finite: ${island} ${path}`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => assertSerializable(island, item, `${path}[${i}]`));
    return;
  }
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) assertSerializable(island, item, `${path}.${key}`);
    }
    return;
  }
  throw new Error(`Island props must be JSON-serializable: ${island} ${path} (${typeof value})`);
}

const previousVnodeHook = options.vnode;
options.vnode = (vnode: VNode) => {
  const type = vnode.type as unknown;
  if (typeof type === "function" && !bypassHook) {
    const component = type as AnyComponent;
    const island = islandNames.get(component);
    if (island) {
      const props = vnode.props as Record<string, unknown>;
      // deno-lint-ignore no-explicit-any
      (vnode as any).type = IslandBoundary;
      // deno-lint-ignore no-explicit-any
      (vnode as any).props = { island, component, props } satisfies BoundaryProps;
    }
  }
  previousVnodeHook?.(vnode);
};
