export interface NoticeProps {
  readonly tone: "error" | "success" | "info";
  readonly title?: string;
  readonly message: string;
}

/** A message box: errors are announced at once (role=alert), others politely (role=status). */
export function Notice({ tone, title, message }: NoticeProps) {
  return (
    <div class={`notice notice--${tone}`} role={tone === "error" ? "alert" : "status"}>
      {title && <p class="notice__title">{title}</p>}
      <p>{message}</p>
    </div>
  );
}
