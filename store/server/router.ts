/**
 * File-based routing, Fresh style: every module under routes/ is a route
 * whose path is its file path. `index.tsx` is its folder's path, `[name]` is
 * a parameter, `_app.tsx` is the page shell, `_404.tsx` the not-found page.
 * Files whose names start with `_` (other than those) or end in `_test` are
 * not routes. Static segments win over parameters, so `/orders/new` would
 * beat `/orders/:id`.
 */
import type { FunctionComponent } from "preact";
import type { AppProps, PageComponent, RouteModule } from "./context.ts";

export interface Route {
  /** e.g. `/orders/:id/events` */
  readonly path: string;
  /** e.g. `orders/[id]/events.ts` */
  readonly file: string;
  readonly pattern: URLPattern;
  readonly module: RouteModule;
}

export interface RouteTable {
  readonly routes: readonly Route[];
  readonly app: FunctionComponent<AppProps>;
  readonly notFound?: PageComponent;
}

const moduleFilePattern = /\.(tsx|ts)$/;
const paramSegmentPattern = /^\[([a-zA-Z][a-zA-Z0-9_]*)\]$/;
const staticSegmentPattern = /^[a-z0-9][a-z0-9._-]*$/;

/** The URL path of a route file, or undefined when the file is not a route. */
export function routePathOf(file: string): string | undefined {
  if (!moduleFilePattern.test(file)) return undefined;
  const segments = file.replace(moduleFilePattern, "").split("/");
  const last = segments.at(-1)!;
  if (last.startsWith("_") || last.endsWith("_test")) return undefined;
  if (last === "index") segments.pop();
  const parts = segments.map((segment) => {
    const param = paramSegmentPattern.exec(segment);
    if (param) return `:${param[1]}`;
    if (!staticSegmentPattern.test(segment)) {
      throw new Error(`Route file has an unsupported segment: ${file} (${segment})`);
    }
    return segment;
  });
  return "/" + parts.join("/");
}

/** Orders routes so that static segments are tried before parameters at each depth. */
export function compareRoutePaths(a: string, b: string): number {
  const left = a.split("/");
  const right = b.split("/");
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const l = left[i]!.startsWith(":");
    const r = right[i]!.startsWith(":");
    if (l !== r) return l ? 1 : -1;
  }
  return right.length - left.length || a.localeCompare(b);
}

export function matchRoute(
  routes: readonly Route[],
  url: URL,
): { route: Route; params: Record<string, string> } | undefined {
  for (const route of routes) {
    const match = route.pattern.exec({ pathname: url.pathname });
    if (match) {
      const params: Record<string, string> = {};
      for (const [name, value] of Object.entries(match.pathname.groups)) {
        if (value !== undefined) params[name] = decodeURIComponent(value);
      }
      return { route, params };
    }
  }
  return undefined;
}

async function listModules(dir: URL, prefix = ""): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isDirectory) {
      files.push(...await listModules(new URL(`${entry.name}/`, dir), `${prefix}${entry.name}/`));
    } else if (entry.isFile && moduleFilePattern.test(entry.name)) {
      files.push(prefix + entry.name);
    }
  }
  return files.sort();
}

/** Imports every route module under `dir` (a directory URL ending in `/`). */
export async function loadRoutes(dir: URL): Promise<RouteTable> {
  const routes: Route[] = [];
  let app: FunctionComponent<AppProps> | undefined;
  let notFound: PageComponent | undefined;
  for (const file of await listModules(dir)) {
    if (file === "_app.tsx") {
      app = (await import(new URL(file, dir).href)).default;
      continue;
    }
    if (file === "_404.tsx") {
      notFound = (await import(new URL(file, dir).href)).default;
      continue;
    }
    const path = routePathOf(file);
    if (path === undefined) continue;
    const module: RouteModule = await import(new URL(file, dir).href);
    if (!module.handler && !module.default) {
      throw new Error(`Route exports neither handler nor a default page: ${file}`);
    }
    routes.push({ path, file, pattern: new URLPattern({ pathname: path }), module });
  }
  if (!app) throw new Error(`Routes have no _app.tsx: ${dir.pathname}`);
  const seen = new Set<string>();
  for (const route of routes) {
    if (seen.has(route.path)) throw new Error(`Two route files map to one path: ${route.path}`);
    seen.add(route.path);
  }
  routes.sort((a, b) => compareRoutePaths(a.path, b.path));
  return { routes, app, notFound };
}

/** Imports every island under `dir` and returns them by name (the file name). */
export async function loadIslandModules(dir: URL): Promise<Map<string, unknown>> {
  const islands = new Map<string, unknown>();
  for (const file of await listModules(dir)) {
    if (file.includes("/") || !file.endsWith(".tsx") || file.endsWith("_test.tsx")) continue;
    const name = file.replace(/\.tsx$/, "");
    islands.set(name, (await import(new URL(file, dir).href)).default);
  }
  return islands;
}
