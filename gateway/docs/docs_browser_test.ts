import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { chromiumExecutablePath, chromiumLaunchArgs } from "@pay/lib/testing";
import { buildOpenApiDocument } from "../../ingest/openapi.ts";
import { startTestGateway } from "../testing/harness.ts";

/**
 * Redoc's "API docs by Redocly" attribution shows a logo from its CDN; the
 * page's CSP blocks it and Redoc drops the image on that error. Nothing else
 * may be refused.
 */
const attributionLogo = /Loading the image 'https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini\.svg'/;

const screenshotDir = new URL("../../test-output/gateway/", import.meta.url).pathname;

Deno.test("/api/docs renders the OpenAPI document with the bundled Redoc, within its CSP", async () => {
  const document = buildOpenApiDocument();
  const gw = await startTestGateway("docs_browser", {}, {
    openApiDocument: () => Promise.resolve(document),
  });
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    gw.gateway.app.fetch,
  );
  const browser = await chromium.launch({
    executablePath: chromiumExecutablePath,
    args: [...chromiumLaunchArgs],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const refused: string[] = [];
    const foreign: string[] = [];
    page.on("console", (message) => {
      const text = message.text();
      if (/Content.Security.Policy/i.test(text) && !attributionLogo.test(text)) refused.push(text);
    });
    page.on("requestfinished", (request) => {
      if (!request.url().startsWith(`http://127.0.0.1:${server.addr.port}/`)) {
        if (!/^(data|blob):/.test(request.url())) foreign.push(request.url());
      }
    });
    await page.goto(`http://127.0.0.1:${server.addr.port}/api/docs`);
    const operation = page.getByRole("heading", { name: "Authorize a payment" }).first();
    await operation.waitFor({ state: "visible" });
    await page.getByText("tok_decline").first().waitFor();
    await Deno.mkdir(screenshotDir, { recursive: true });
    await page.screenshot({ path: `${screenshotDir}docs.png` });
    await page.goto(
      `http://127.0.0.1:${server.addr.port}/api/docs#tag/Payments/operation/authorizePayment`,
    );
    await operation.waitFor({ state: "visible" });
    await page.getByText("curl -s -X POST").first().waitFor();
    await page.screenshot({ path: `${screenshotDir}docs_authorize.png` });
    assert.deepEqual(refused, []);
    assert.deepEqual(foreign, []);
  } finally {
    await browser.close();
    await server.shutdown();
    await gw.close();
  }
});
