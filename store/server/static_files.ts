/**
 * Files under store/static, read into memory at start-up: the whole folder is
 * a few dozen kilobytes, and serving only files known at start means no path
 * from a URL ever reaches the file system. Built islands (build/) have
 * content-hashed names and are cached for a year; other files for an hour.
 */
export interface StaticFile {
  readonly body: Uint8Array<ArrayBuffer>;
  readonly contentType: string;
  readonly etag: string;
}

export type StaticFiles = ReadonlyMap<string, StaticFile>;

/** Files at least this large are not served from memory: static/ holds only small assets. */
const staticFileBytesMax = 1_048_576;

const immutableCacheControl = "public, max-age=31536000, immutable";
/** Unhashed assets (CSS, images) change with deploys: an hour keeps them fresh enough. */
const assetCacheControl = "public, max-age=3600";

const contentTypes: Readonly<Record<string, string>> = {
  css: "text/css; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  svg: "image/svg+xml",
  png: "image/png",
  ico: "image/x-icon",
  json: "application/json",
  txt: "text/plain; charset=utf-8",
};

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Loads every servable file under `dir` (a directory URL), keyed by URL path under `/static/`. */
export async function loadStaticFiles(
  dir: URL,
  prefix = "/static/",
): Promise<Map<string, StaticFile>> {
  const files = new Map<string, StaticFile>();
  for await (const entry of Deno.readDir(dir)) {
    if (entry.name.startsWith(".")) continue;
    if (entry.isDirectory) {
      const nested = await loadStaticFiles(
        new URL(`${entry.name}/`, dir),
        `${prefix}${entry.name}/`,
      );
      for (const [path, file] of nested) files.set(path, file);
      continue;
    }
    const contentType = contentTypes[entry.name.split(".").pop() ?? ""];
    if (!entry.isFile || !contentType) continue;
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = new Uint8Array(await Deno.readFile(new URL(entry.name, dir)));
    } catch (error) {
      // A rebuild in another process may remove a stale bundle between listing and reading.
      if (error instanceof Deno.errors.NotFound) continue;
      throw error;
    }
    if (bytes.length > staticFileBytesMax) {
      throw new Error(`Static file too large to serve from memory: ${prefix}${entry.name}`);
    }
    const etag = `"${(await sha256Hex(bytes)).slice(0, 16)}"`;
    files.set(prefix + entry.name, { body: bytes, contentType, etag });
  }
  return files;
}

export function serveStatic(files: StaticFiles, request: Request, pathname: string): Response {
  const file = files.get(pathname);
  if (!file) return new Response("Not found", { status: 404 });
  if (request.method !== "GET" && request.method !== "HEAD") {
    return new Response("Method not allowed", { status: 405, headers: { allow: "GET, HEAD" } });
  }
  const headers = new Headers({
    "content-type": file.contentType,
    "cache-control": pathname.startsWith("/static/build/")
      ? immutableCacheControl
      : assetCacheControl,
    etag: file.etag,
  });
  if (request.headers.get("if-none-match") === file.etag) {
    return new Response(null, { status: 304, headers });
  }
  return new Response(request.method === "HEAD" ? null : file.body, { headers });
}

/** `/static/styles.css?v=<hash>`: the stylesheet URL changes when its content does. */
export function versionedUrl(files: StaticFiles, pathname: string): string {
  const file = files.get(pathname);
  return file ? `${pathname}?v=${file.etag.slice(1, 9)}` : pathname;
}
