import { Layout, type ViewSession } from "../components.tsx";
import type { Notice } from "../notice.ts";

export function LoginPage(
  props: { session: ViewSession; notice: Notice; disabled: boolean; devToken: boolean },
) {
  const { t } = props.session.i18n;
  return (
    <Layout
      title={t("login.title")}
      active=""
      session={{ ...props.session, csrf: null }}
      notice={props.notice}
    >
      {props.disabled
        ? <p class="notice bad">{t("login.disabled")}</p>
        : (
          <form method="post" action="/login" class="inline">
            <label>
              {t("login.token")}
              <input
                type="password"
                name="token"
                autocomplete="current-password"
                size={40}
                required
              />
            </label>
            <button type="submit">{t("login.submit")}</button>
          </form>
        )}
      {props.devToken ? <p class="muted">{t("login.devToken")}</p> : null}
    </Layout>
  );
}
