/** Server rendering of a page inside the app shell, with scripts only for the islands it used. */
import { type FunctionComponent, h } from "preact";
import { renderToString } from "preact-render-to-string";
import type { AppProps, PageComponent, PageProps } from "./context.ts";
import { collectIslands } from "./islands.ts";
import { type IslandManifest, scriptsFor } from "../build/manifest.ts";

export interface RenderedPage {
  readonly html: string;
  readonly islands: ReadonlySet<string>;
}

export function renderPage<Data>(
  app: FunctionComponent<AppProps>,
  page: PageComponent<Data>,
  pageProps: PageProps<Data>,
  shell: Omit<AppProps, "children">,
  manifest: IslandManifest,
): RenderedPage {
  const { result: body, islands } = collectIslands(() =>
    renderToString(h(app, shell, h(page, pageProps)))
  );
  return { html: "<!DOCTYPE html>" + injectScripts(body, manifest, islands), islands };
}

function escapeAttribute(value: string): string {
  return value.replaceAll("&", "&amp;").replaceAll('"', "&quot;").replaceAll("<", "&lt;");
}

function injectScripts(html: string, manifest: IslandManifest, islands: Set<string>): string {
  if (islands.size === 0) return html;
  const { entries, preloads } = scriptsFor(manifest, [...islands].sort());
  const tags = [
    ...preloads.map((url) => `<link rel="modulepreload" href="${escapeAttribute(url)}">`),
    ...entries.map((url) => `<script type="module" src="${escapeAttribute(url)}"></script>`),
  ].join("");
  const end = html.lastIndexOf("</body>");
  if (end < 0) throw new Error("The app shell rendered no </body>");
  return html.slice(0, end) + tags + html.slice(end);
}
