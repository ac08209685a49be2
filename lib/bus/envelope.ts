import { isCurrency } from "../domain/currency.ts";
import { type EventEnvelope, type PaymentTopic, paymentTopics } from "../domain/events.ts";
import { isMerchantId } from "../domain/ids.ts";
import { isValidAmount } from "../domain/money.ts";
import { MalformedMessageError } from "./errors.ts";
import type { BusMessage } from "./port.ts";

/** Longest event or payment id accepted (the outbox columns are VARCHAR(40)). */
const idCharsMax = 40;

export interface PaymentEvent {
  readonly topic: PaymentTopic;
  readonly envelope: EventEnvelope;
}

/**
 * Reads a payment event from a bus message, or throws MalformedMessageError
 * naming what is wrong (the message then goes to the DLQ without retries).
 */
export function parsePaymentEvent(message: BusMessage): PaymentEvent {
  if (!(paymentTopics as readonly string[]).includes(message.topic)) {
    throw new MalformedMessageError(`Not a payment topic: ${message.topic}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(message.value);
  } catch (error) {
    throw new MalformedMessageError(`Payload is not JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new MalformedMessageError("Payload is not a JSON object");
  }
  const e = parsed as Record<string, unknown>;
  const problem = envelopeProblem(e);
  if (problem) throw new MalformedMessageError(`Envelope ${problem}`);
  return { topic: message.topic as PaymentTopic, envelope: e as unknown as EventEnvelope };
}

function envelopeProblem(e: Record<string, unknown>): string | null {
  if (!isId(e.eventId)) return `eventId is missing or too long: ${JSON.stringify(e.eventId)}`;
  if (!isId(e.paymentId)) return `paymentId is missing or too long: ${JSON.stringify(e.paymentId)}`;
  if (!isMerchantId(e.merchantId)) return `merchantId is invalid: ${JSON.stringify(e.merchantId)}`;
  if (typeof e.type !== "string") return `type is not a string: ${JSON.stringify(e.type)}`;
  if (!isValidAmount(e.amount)) {
    return `amount is not positive minor units: ${JSON.stringify(e.amount)}`;
  }
  if (!isCurrency(e.currency)) return `currency is not supported: ${JSON.stringify(e.currency)}`;
  if (typeof e.occurredAt !== "string" || Number.isNaN(Date.parse(e.occurredAt))) {
    return `occurredAt is not a timestamp: ${JSON.stringify(e.occurredAt)}`;
  }
  if (typeof e.data !== "object" || e.data === null) return "data is not an object";
  return null;
}

function isId(value: unknown): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= idCharsMax;
}
