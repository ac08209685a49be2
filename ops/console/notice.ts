/** The one-line result of an action, carried to the page it redirects to. */
export type Notice = { readonly text: string; readonly bad?: boolean } | null;

/** Longest notice text carried in a redirect URL. */
const noticeCharsMax = 300;

export function noticeFrom(url: URL): Notice {
  const ok = url.searchParams.get("notice");
  const bad = url.searchParams.get("error");
  if (bad) return { text: bad.slice(0, noticeCharsMax), bad: true };
  if (ok) return { text: ok.slice(0, noticeCharsMax) };
  return null;
}

/** `path` with the notice in its query string. */
export function withNotice(path: string, text: string, bad = false): string {
  const url = new URL(path, "http://console");
  url.searchParams.set(bad ? "error" : "notice", text.slice(0, noticeCharsMax));
  return url.pathname + url.search;
}
