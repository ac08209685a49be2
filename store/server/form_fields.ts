import { HttpError } from "./http_error.ts";

/** Longest value any field of the shop's forms needs (a refund reason). */
export const formFieldLengthMax = 255;

export function textField(form: URLSearchParams, name: string): string {
  const value = form.get(name)?.trim() ?? "";
  if (value === "") throw new HttpError("validation_error", `Missing form field: ${name}`);
  if (value.length > formFieldLengthMax) {
    throw new HttpError("validation_error", `Form field is too long: ${name}`);
  }
  return value;
}

export function optionalTextField(form: URLSearchParams, name: string): string | undefined {
  return form.get(name)?.trim() ? textField(form, name) : undefined;
}

/** A whole number as people type it: `500000`, `500,000` or `₩500,000`. */
export function wholeNumberField(form: URLSearchParams, name: string): number {
  const raw = textField(form, name).replace(/[₩,\s]/g, "");
  if (!/^\d{1,15}$/.test(raw)) {
    throw new HttpError("validation_error", `Not a whole number: ${name}=${raw.slice(0, 20)}`);
  }
  return Number(raw);
}
