/**
 * Assembles the storefront from its folders: islands registered, routes
 * loaded from routes/, static files read. Shared by main.ts, the tests and the
 * measuring tools so they all run the same app.
 */
import type { StoreDeps } from "./context.ts";
import { createStoreHandler, type StoreHandler } from "./app.ts";
import { registerIsland } from "./islands.ts";
import { loadIslandModules, loadRoutes } from "./router.ts";
import { loadStaticFiles } from "./static_files.ts";
import type { ComponentType } from "preact";

export const storeDir = new URL("../", import.meta.url);
export const staticDir = new URL("static/", storeDir);
export const buildDir = new URL("static/build/", storeDir);
export const buildPublicPath = "/static/build/";

export async function createStoreApp(deps: StoreDeps): Promise<StoreHandler> {
  for (const [name, component] of await loadIslandModules(new URL("islands/", storeDir))) {
    if (typeof component !== "function") {
      throw new Error(`Island has no default component: ${name}`);
    }
    registerIsland(name, component as ComponentType);
  }
  const table = await loadRoutes(new URL("routes/", storeDir));
  const staticFiles = await loadStaticFiles(staticDir);
  return createStoreHandler(deps, table, staticFiles);
}
