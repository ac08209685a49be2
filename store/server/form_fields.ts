import { message } from "../i18n/i18n.ts";
import { HttpError } from "./http_error.ts";

/** Longest value any field of the shop's forms needs (a refund reason). */
export const formFieldLengthMax = 255;

/** RFC 5321's limit on an address's length. */
export const emailLengthMax = 254;

export function textField(form: URLSearchParams, name: string): string {
  const value = form.get(name)?.trim() ?? "";
  if (value === "") throw new HttpError("validation_error", message("form.missing", { name }));
  if (value.length > formFieldLengthMax) {
    throw new HttpError("validation_error", message("form.tooLong", { name }));
  }
  return value;
}

export function optionalTextField(form: URLSearchParams, name: string): string | undefined {
  return form.get(name)?.trim() ? textField(form, name) : undefined;
}

/** A whole number as people type it: `500000`, `500,000`, `₩500,000` or `500,000원`. */
export function wholeNumberField(form: URLSearchParams, name: string): number {
  const raw = textField(form, name).replace(/[₩원,\s]/g, "");
  if (!/^\d{1,15}$/.test(raw)) {
    throw new HttpError("validation_error", message("form.notNumber", { value: raw.slice(0, 20) }));
  }
  return Number(raw);
}

/** An email address, lower-cased: one `@`, a dot in the domain, no spaces. */
export function emailField(form: URLSearchParams, name: string): string {
  const value = textField(form, name);
  if (value.length > emailLengthMax || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) {
    throw new HttpError("validation_error", message("form.email", { value: value.slice(0, 40) }));
  }
  return value.toLowerCase();
}
