import type { ErrorPageData } from "../components/ErrorPage.tsx";
import type { PageProps } from "../server/context.ts";

export default function NotFound({ data }: PageProps<ErrorPageData>) {
  return (
    <section class="panel error-page" aria-labelledby="error-title">
      <p class="eyebrow">Error 404</p>
      <h1 id="error-title">We could not find that page</h1>
      <p>{data.detail}</p>
      <p>
        <a class="button button--secondary" href="/">Browse the collections</a>
      </p>
    </section>
  );
}
