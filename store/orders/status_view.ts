/**
 * The order page's payment panel as the shopper reads it: every label,
 * amount and time already written in their language, so the OrderStatus
 * island (and each update the event stream sends it) ships no catalog.
 */
import type { PaymentStatus } from "@pay/lib/domain";
import type { StoreI18n } from "../i18n/i18n.ts";
import { allowedActions, isInFlight, type PaymentView, refundableAmount } from "./payment_view.ts";

export type NoticeKind = "capture-pending" | "capture-requested" | "cancelled" | "refund-requested";

export function isNoticeKind(value: unknown): value is NoticeKind {
  return value === "capture-pending" || value === "capture-requested" ||
    value === "cancelled" || value === "refund-requested";
}

export interface StatusNotice {
  readonly tone: "success" | "error" | "info";
  readonly text: string;
}

export interface OrderStatusView {
  readonly status: PaymentStatus;
  readonly tone: "good" | "bad" | "pending";
  readonly statusLabel: string;
  readonly amounts: readonly { readonly label: string; readonly value: string }[];
  readonly timeline: readonly {
    readonly status: PaymentStatus;
    readonly label: string;
    readonly at: string;
    readonly time: string;
  }[];
  /** A capture or refund is with the bank: the island listens to the event stream. */
  readonly inFlight: boolean;
  /** The outcome of what the shopper just did, as far as it has come. */
  readonly notice?: StatusNotice;
  readonly actions: {
    readonly capture: boolean;
    readonly cancel: boolean;
    readonly refund: boolean;
  };
  readonly refundHint: string;
}

/** The panel's fixed texts in the shopper's language. */
export interface OrderStatusTexts {
  readonly title: string;
  readonly statusLabel: string;
  readonly timeline: string;
  readonly waiting: string;
  readonly live: string;
  readonly reload: string;
  readonly chargeNow: string;
  readonly cancel: string;
  readonly refundTitle: string;
  readonly refundAmount: string;
  readonly refundReason: string;
  readonly refundReview: string;
  readonly confirmTitle: string;
  readonly confirm: string;
  readonly back: string;
}

export function orderStatusTexts({ t }: StoreI18n): OrderStatusTexts {
  return {
    title: t("status.title"),
    statusLabel: t("status.label"),
    timeline: t("status.timeline"),
    waiting: t("status.waiting"),
    live: t("status.live"),
    reload: t("status.reload"),
    chargeNow: t("status.chargeNow"),
    cancel: t("status.cancel"),
    refundTitle: t("refund.title"),
    refundAmount: t("refund.amount"),
    refundReason: t("refund.reason"),
    refundReview: t("refund.review"),
    confirmTitle: t("refund.confirmTitle"),
    confirm: t("refund.confirm"),
    back: t("refund.back"),
  };
}

const toneOf = (status: PaymentStatus): OrderStatusView["tone"] =>
  status === "CAPTURED" || status === "REFUNDED" || status === "PARTIALLY_REFUNDED"
    ? "good"
    : status.endsWith("FAILED") || status === "CANCELLED" || status === "EXPIRED"
    ? "bad"
    : "pending";

/** Steps whose amount says something a shopper needs (not the approval or its release). */
const stepsWithAmount: ReadonlySet<PaymentStatus> = new Set([
  "CAPTURE_REQUESTED",
  "CAPTURED",
  "CAPTURE_FAILED",
  "REFUND_REQUESTED",
  "PARTIALLY_REFUNDED",
  "REFUNDED",
  "REFUND_FAILED",
]);

export function orderStatusView(
  payment: PaymentView,
  i18n: StoreI18n,
  noticeKind?: NoticeKind,
): OrderStatusView {
  const { t } = i18n;
  const money = (amount: number) => i18n.money(amount, payment.currency);
  const notice = noticeKind && noticeFor(noticeKind, payment, i18n);
  return {
    status: payment.status,
    tone: toneOf(payment.status),
    statusLabel: t("payment.status", { status: payment.status }),
    amounts: [
      { label: t("status.approved"), value: money(payment.amount) },
      { label: t("status.charged"), value: money(payment.capturedAmount) },
      { label: t("status.refunded"), value: money(payment.refundedAmount) },
    ],
    timeline: payment.events.map((e) => {
      const step = t("payment.step", { status: e.to });
      return {
        status: e.to,
        label: e.amount !== null && stepsWithAmount.has(e.to)
          ? t("payment.stepAmount", { step, amount: money(e.amount) })
          : step,
        at: e.at,
        time: i18n.time(e.at),
      };
    }),
    inFlight: isInFlight(payment.status),
    ...(notice ? { notice } : {}),
    actions: allowedActions(payment),
    refundHint: t("refund.amountHint", { amount: money(refundableAmount(payment)) }),
  };
}

/** The notice after an action, by how far the payment has come since: "requested", then "done". */
function noticeFor(
  kind: NoticeKind,
  payment: PaymentView,
  i18n: StoreI18n,
): StatusNotice | undefined {
  const { t } = i18n;
  const money = (amount: number) => i18n.money(amount, payment.currency);
  const status = payment.status;
  switch (kind) {
    case "capture-pending":
      return status === "AUTHORIZED"
        ? { tone: "info", text: t("notice.capturePending") }
        : undefined;
    case "capture-requested":
      if (status === "CAPTURE_REQUESTED") {
        return { tone: "success", text: t("notice.captureRequested") };
      }
      if (status === "CAPTURE_FAILED") return { tone: "error", text: t("notice.captureFailed") };
      return payment.capturedAmount > 0
        ? { tone: "success", text: t("notice.captured", { amount: money(payment.capturedAmount) }) }
        : undefined;
    case "cancelled":
      return status === "CANCELLED" ? { tone: "success", text: t("notice.cancelled") } : undefined;
    case "refund-requested":
      if (status === "REFUND_REQUESTED") {
        return { tone: "success", text: t("notice.refundRequested") };
      }
      if (status === "REFUND_FAILED") return { tone: "error", text: t("notice.refundFailed") };
      return status === "PARTIALLY_REFUNDED" || status === "REFUNDED"
        ? { tone: "success", text: t("notice.refunded", { amount: money(lastRefund(payment)) }) }
        : undefined;
  }
}

/** The amount of the refund that completed last (the timeline's), else everything refunded. */
function lastRefund(payment: PaymentView): number {
  const done = payment.events.findLast((e) =>
    (e.to === "PARTIALLY_REFUNDED" || e.to === "REFUNDED") && e.amount !== null
  );
  return done?.amount ?? payment.refundedAmount;
}
