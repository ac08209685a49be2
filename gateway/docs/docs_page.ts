/**
 * `/api/docs`: the API reference, rendered in the browser by Redoc from
 * `/api/openapi.json`. Redoc's standalone bundle comes from the pinned npm
 * package and is served by the gateway itself (docs/redoc_bundle.ts): no CDN,
 * no font or script from another host.
 */

export const docsPagePath = "/api/docs";
export const redocBundlePath = "/api/docs/redoc.standalone.js";
const documentPath = "/api/openapi.json";

/**
 * The page's Content-Security-Policy: scripts only from the gateway; inline
 * styles because Redoc (styled-components) injects its CSS; a blob: worker
 * because Redoc's search index runs in one; data: images for its icons.
 */
export const docsPageContentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src blob:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** The HTML shell Redoc renders into (Redoc starts itself on a `<redoc spec-url>` element). */
export function renderDocsPage(title: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{margin:0}noscript{display:block;font:15px/1.5 system-ui,sans-serif;padding:24px}</style>
</head><body>
<noscript>This reference needs JavaScript. The document itself: <a href="${documentPath}">${documentPath}</a>; errors: <a href="${docsPagePath}/problems">problem types</a>.</noscript>
<redoc spec-url="${documentPath}" required-props-first="true" expand-responses="200,201,202,204" hide-hostname="true"></redoc>
<script src="${redocBundlePath}"></script>
</body></html>`;
}

export function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;").replaceAll("'", "&#39;");
}
