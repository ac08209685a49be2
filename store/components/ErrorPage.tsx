import type { PageProps } from "../server/context.ts";

export interface ErrorPageData {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
}

/** Any refusal or failure, as a page a shopper can act on. */
export function ErrorPage({ data, i18n }: PageProps<ErrorPageData>) {
  return (
    <section class="panel error-page" aria-labelledby="error-title">
      <p class="eyebrow">{i18n.t("error.eyebrow", { status: data.status })}</p>
      <h1 id="error-title">{data.title}</h1>
      <p role="alert">{data.detail}</p>
      <p>
        <a class="button button--secondary" href="/">{i18n.t("error.back")}</a>
      </p>
    </section>
  );
}
