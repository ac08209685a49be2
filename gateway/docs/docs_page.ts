/**
 * A self-contained HTML page rendering an OpenAPI 3.x document: server-side,
 * no script, no stylesheet or font from another host.
 */
export function renderDocsPage(document: unknown): string {
  const doc = asRecord(document);
  const info = asRecord(doc.info);
  const title = String(info.title ?? "Payment API");
  const operations = Object.entries(asRecord(doc.paths)).flatMap(([path, item]) =>
    Object.entries(asRecord(item))
      .filter(([method]) => httpMethods.has(method))
      .map(([method, operation]) => renderOperation(path, method, asRecord(operation)))
  );
  const schemas = asRecord(asRecord(doc.components).schemas);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${style}</style></head>
<body><main>
<h1>${escapeHtml(title)} <small>${escapeHtml(String(info.version ?? ""))}</small></h1>
<p>${escapeHtml(String(info.description ?? ""))}</p>
<p>Authentication: <code>Authorization: Bearer &lt;api key&gt;</code>. Machine-readable document: <a href="/api/openapi.json">/api/openapi.json</a>. Errors: <a href="/api/docs/problems">problem types</a>.</p>
${operations.join("\n") || "<p>The document lists no operations.</p>"}
<h2>Schemas</h2>
${
    Object.entries(schemas).map(([name, schema]) =>
      `<details><summary>${escapeHtml(name)}</summary><pre>${
        escapeHtml(JSON.stringify(schema, null, 2))
      }</pre></details>`
    ).join("\n")
  }
</main></body></html>`;
}

const httpMethods = new Set(["get", "put", "post", "delete", "patch", "head", "options"]);

function renderOperation(path: string, method: string, op: Record<string, unknown>): string {
  const parameters = asArray(op.parameters).map((p) => {
    const param = asRecord(p);
    return `<tr><td><code>${escapeHtml(String(param.name ?? ""))}</code></td><td>${
      escapeHtml(String(param.in ?? ""))
    }</td><td>${param.required ? "yes" : "no"}</td><td>${
      escapeHtml(String(param.description ?? ""))
    }</td></tr>`;
  });
  const body = asRecord(asRecord(asRecord(op.requestBody).content)["application/json"]).schema;
  const responses = Object.entries(asRecord(op.responses)).map(([status, response]) =>
    `<li><b>${escapeHtml(status)}</b> ${
      escapeHtml(String(asRecord(response).description ?? ""))
    }</li>`
  );
  return `<section class="op">
<h2><span class="method ${escapeHtml(method)}">${escapeHtml(method.toUpperCase())}</span> <code>${
    escapeHtml(path)
  }</code></h2>
<p>${escapeHtml(String(op.summary ?? ""))}</p>
${op.description ? `<p>${escapeHtml(String(op.description))}</p>` : ""}
${
    parameters.length
      ? `<table><tr><th>Parameter</th><th>In</th><th>Required</th><th>Description</th></tr>${
        parameters.join("")
      }</table>`
      : ""
  }
${
    body
      ? `<details><summary>Request body</summary><pre>${
        escapeHtml(JSON.stringify(body, null, 2))
      }</pre></details>`
      : ""
  }
<ul>${responses.join("")}</ul>
</section>`;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? value as Record<string, unknown>
    : {};
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;").replaceAll("'", "&#39;");
}

const style = `body{font:15px/1.5 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1b1f24}
main{max-width:960px;margin:auto;padding:24px}
.op{background:#fff;border:1px solid #d8dde3;border-radius:6px;padding:4px 16px;margin:12px 0}
.method{display:inline-block;min-width:64px;text-align:center;border-radius:4px;color:#fff;padding:0 6px;font-size:13px}
.get{background:#2f7d32}.post{background:#1f5fbf}.put,.patch{background:#a36a00}.delete{background:#b3261e}
table{border-collapse:collapse}td,th{border:1px solid #d8dde3;padding:2px 8px;text-align:left}
pre{background:#f0f2f5;padding:8px;overflow:auto}small{color:#667}`;
