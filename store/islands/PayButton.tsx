import { useEffect, useRef, useState } from "preact/hooks";

export interface PayButtonProps {
  readonly label: string;
  /** Shown while the form is on its way ("Paying…" in the shopper's language). */
  readonly busyLabel: string;
}

/**
 * The checkout's submit button. Hydrated, it turns into a busy "Paying…"
 * state when its form is sent, so an impatient second click has nothing to
 * press. The server does not rely on it: the attempt's idempotency key makes
 * a second submission harmless either way.
 */
export default function PayButton({ label, busyLabel }: PayButtonProps) {
  const button = useRef<HTMLButtonElement>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const form = button.current?.form;
    if (!form) return;
    const onSubmit = () => setBusy(true);
    // The page may come back from the back/forward cache with the button still busy.
    const onShow = () => setBusy(false);
    form.addEventListener("submit", onSubmit);
    addEventListener("pageshow", onShow);
    return () => {
      form.removeEventListener("submit", onSubmit);
      removeEventListener("pageshow", onShow);
    };
  }, []);
  return (
    <button
      ref={button}
      type="submit"
      class="button button--primary button--wide"
      aria-disabled={busy ? "true" : undefined}
      onClick={(e) => busy && e.preventDefault()}
    >
      {busy ? busyLabel : label}
    </button>
  );
}
