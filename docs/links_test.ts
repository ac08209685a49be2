/**
 * The front door and the pages behind it stay connected: every relative link
 * in README.md, docs/*.md and the READMEs these pages introduced points at a
 * file that exists and, when it names a heading (`#anchor`), at a heading
 * that exists, as GitHub renders anchors. And README.md stays a front door.
 */
import assert from "node:assert/strict";
import { dirname, join, relative } from "node:path";

const repoRoot = new URL("../", import.meta.url).pathname;

/** README.md is what a newcomer reads first: what it is, two commands, a tour, links. */
const readmeBytesMax = 15 * 1024;

function checkedPages(): string[] {
  const docs = [...Deno.readDirSync(join(repoRoot, "docs"))]
    .filter((entry) => entry.isFile && entry.name.endsWith(".md"))
    .map((entry) => join("docs", entry.name))
    .sort();
  return ["README.md", ...docs, "bench/README.md", "lib/README.md", "ingest/README.md"];
}

/** Markdown without fenced code blocks and inline code: links there are only text. */
function proseOf(markdown: string): string {
  return markdown.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, "").replace(/`[^`\n]*`/g, "");
}

/** The targets of `[text](target)` links and images, outside code. */
function linkTargets(markdown: string): string[] {
  return [...proseOf(markdown).matchAll(/\]\(([^()\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!);
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
function headingAnchor(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/`/g, "")
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** Every anchor a page's headings get, with GitHub's -1, -2 suffixes for repeats. */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  const withoutFences = markdown.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, "");
  for (const [, heading] of withoutFences.matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
    const anchor = headingAnchor(heading!);
    const count = seen.get(anchor) ?? 0;
    anchors.add(count === 0 ? anchor : `${anchor}-${count}`);
    seen.set(anchor, count + 1);
  }
  return anchors;
}

async function brokenLinks(page: string): Promise<string[]> {
  const markdown = await Deno.readTextFile(join(repoRoot, page));
  const broken: string[] = [];
  for (const target of linkTargets(markdown)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: and the like
    const [path = "", anchor] = target.split("#", 2);
    const file = path === "" ? join(repoRoot, page) : join(repoRoot, dirname(page), path);
    const info = await Deno.stat(file).catch(() => undefined);
    if (!info) {
      broken.push(`${page}: ${target} (no ${relative(repoRoot, file)})`);
    } else if (anchor !== undefined && info.isFile && file.endsWith(".md")) {
      const anchors = anchorsOf(await Deno.readTextFile(file));
      if (!anchors.has(decodeURIComponent(anchor))) {
        broken.push(`${page}: ${target} (no heading #${anchor})`);
      }
    }
  }
  return broken;
}

Deno.test("GitHub anchors drop punctuation and code marks, and keep words and hyphens", () => {
  assert.equal(headingAnchor("Supervisor (`deno task start`)"), "supervisor-deno-task-start");
  assert.equal(
    headingAnchor("Profiles: embedded and scale-out"),
    "profiles-embedded-and-scale-out",
  );
  assert.equal(headingAnchor("A [linked](x.md) heading"), "a-linked-heading");
  assert.deepEqual(linkTargets("[a](b.md) `[c](d.md)` ![e](f.png)\n```\n[g](h.md)\n```"), [
    "b.md",
    "f.png",
  ]);
});

Deno.test("every relative link of README.md, docs/ and the READMEs they introduced points at an existing file and heading", async () => {
  const broken = (await Promise.all(checkedPages().map(brokenLinks))).flat();
  assert.deepEqual(broken, []);
});

Deno.test("README.md stays a front door: at most 15 KB", async () => {
  const bytes = (await Deno.stat(join(repoRoot, "README.md"))).size;
  assert.ok(bytes <= readmeBytesMax, `README.md is ${bytes} bytes; move detail to docs/`);
});
