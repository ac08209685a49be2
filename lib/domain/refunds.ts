/**
 * A refund as merchants see it: one refund request of a payment, from its
 * request to the PG's answer. Stored states PENDING, SUCCESS, FAILED
 * (refund_request.status) read as these.
 */
export const refundStatuses = ["PENDING", "SUCCEEDED", "FAILED"] as const;

export type RefundStatus = typeof refundStatuses[number];

const statusOfStored: Record<string, RefundStatus> = {
  PENDING: "PENDING",
  SUCCESS: "SUCCEEDED",
  FAILED: "FAILED",
};

/** The public status of a stored refund request status; throws on a status no request has. */
export function refundStatusOf(stored: string): RefundStatus {
  const status = statusOfStored[stored];
  if (!status) throw new Error(`Unknown refund request status: ${stored}`);
  return status;
}
