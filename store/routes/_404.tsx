import type { ErrorPageData } from "../components/ErrorPage.tsx";
import type { PageProps } from "../server/context.ts";

export default function NotFound({ data, i18n }: PageProps<ErrorPageData>) {
  return (
    <section class="panel error-page" aria-labelledby="error-title">
      <p class="eyebrow">{i18n.t("error.eyebrow", { status: 404 })}</p>
      <h1 id="error-title">{i18n.t("error.notFoundTitle")}</h1>
      <p>{data.detail}</p>
      <p>
        <a class="button button--secondary" href="/">{i18n.t("cart.browse")}</a>
      </p>
    </section>
  );
}
