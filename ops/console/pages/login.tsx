import { Layout } from "../components.tsx";
import type { Notice } from "../notice.ts";

export function LoginPage(props: { notice: Notice; disabled: boolean; devToken: boolean }) {
  return (
    <Layout title="Log in" active="" session={{ csrf: null }} notice={props.notice}>
      {props.disabled
        ? (
          <p class="notice bad">
            Actions are disabled: OPS_TOKEN is not set on the ops service. Reading works without
            logging in.
          </p>
        )
        : (
          <form method="post" action="/login" class="inline">
            <label>
              Ops token<input
                type="password"
                name="token"
                autocomplete="current-password"
                size={40}
                required
              />
            </label>
            <button type="submit">Log in</button>
          </form>
        )}
      {props.devToken
        ? <p class="muted">Development: the token is the default from ops/README.md.</p>
        : null}
    </Layout>
  );
}
