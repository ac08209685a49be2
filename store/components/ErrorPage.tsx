import type { PageProps } from "../server/context.ts";

export interface ErrorPageData {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
}

/** Any refusal or failure, as a page a shopper can act on. */
export function ErrorPage({ data }: PageProps<ErrorPageData>) {
  return (
    <section class="panel error-page" aria-labelledby="error-title">
      <p class="eyebrow">Error {data.status}</p>
      <h1 id="error-title">{data.title}</h1>
      <p role="alert">{data.detail}</p>
      <p>
        <a class="button button--secondary" href="/">Back to the shop</a>
      </p>
    </section>
  );
}
