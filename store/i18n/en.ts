/**
 * The shop's English texts (ICU MessageFormat). ko.ts must have the same
 * keys: the compiler checks it, and catalog_test.ts parses every message.
 */
export const en = {
  "shell.title": "{page} · {shop}",
  "shell.description":
    "Signature Tech and Atelier Living, paid through the SWElite payment platform.",
  "shell.skipLink": "Skip to main content",
  "shell.navLabel": "Main",
  "shell.orders": "Orders",
  "shell.cart": "Cart",
  "shell.cartCount": "{count, plural, one {# item in the cart} other {# items in the cart}}",
  "shell.language": "Language",
  "shell.footerDemo": "A demonstration shop: payments use test cards and never move real money.",
  "shell.footerVat": "Prices include VAT. Free delivery across Korea.",

  "home.eyebrow": "New season",
  "home.title": "Considered things, paid for in one tap.",
  "home.lead":
    "Two small collections, picked by hand. Every order is approved, charged and refundable through our own payment platform.",
  "home.cta": "Shop the collections",

  "product.breadcrumb": "Breadcrumb",
  "product.home": "Home",
  "product.imageAlt": "{name} illustration",
  "product.details": "Details",
  "product.colourLegend": "Colour: {colour}",
  "product.quantity": "Quantity",
  "product.oneLess": "One less",
  "product.oneMore": "One more",
  "product.addToCart": "Add to cart",
  "product.notFound": "No product called {slug}",

  "cart.title": "Your cart",
  "cart.emptyTitle": "Your cart is empty",
  "cart.emptyLead": "Find something you love in Signature Tech or Atelier Living.",
  "cart.browse": "Browse the collections",
  "cart.added": "{name} was added to your cart.",
  "cart.lineMeta": "{colour} · {price} each",
  "cart.quantity": "Quantity",
  "cart.quantityOf": "Quantity of {name}, {colour}",
  "cart.update": "Update",
  "cart.remove": "Remove",
  "cart.removeWhich": "Remove {name}, {colour}",
  "cart.summary": "Order summary",
  "cart.subtotal": "Subtotal",
  "cart.delivery": "Delivery",
  "cart.free": "Free",
  "cart.total": "Total",
  "cart.checkout": "Go to checkout",
  "cart.error.quantity": "Quantity must be a whole number from 1 to {max}: {quantity}",
  "cart.error.product": "No such product: {slug}",
  "cart.error.colour": "No such colour: {colour}",
  "cart.error.linesMax": "A cart holds at most {max} different items",
  "cart.error.notInCart": "Not in the cart: {slug} ({colour})",
  "cart.error.totalMax": "The cart total is above the payment maximum: {total}",
  "cart.error.action": "Unknown cart action: {intent}",

  "lines.item": "Item",
  "lines.quantity": "Qty",
  "lines.amount": "Amount",
  "lines.total": "Total",

  "form.missing": "Please fill in: {name}",
  "form.tooLong": "Too long: {name}",
  "form.notNumber": "Enter a whole number: {value}",
  "form.email": "Enter a valid email address: {value}",

  "error.eyebrow": "Error {status}",
  "error.back": "Back to the shop",
  "error.notFoundTitle": "We could not find that page",
  "error.csrf":
    "This form has expired or did not come from this shop. Go back, reload the page and try again",
  "error.noPage": "No page at {path}",
  "error.method": "{method} is not allowed here",
  "error.formType": "Forms must be url-encoded: {type}",
  "error.formSize": "The form is larger than {bytes, number} bytes",
  "error.state": "The shop cannot reach its cart storage right now. Please try again in a moment",
  "error.internal": "Something went wrong on our side",
  "problem.title":
    "{code, select, not_found {Not found} forbidden {Not allowed} method_not_allowed {Not allowed here} validation_error {Please check your input} unsupported_media_type {Unsupported form} payload_too_large {Form too large} upstream_unavailable {Temporarily unavailable} other {Something went wrong}}",

  "checkout.title": "Checkout",
  "checkout.staleTitle": "Your cart changed",
  "checkout.staleMessage":
    "The cart changed since this page was shown. Check the total below and pay again.",
  "checkout.review": "Review your order",
  "checkout.linesCaption": "Items in this order",
  "checkout.changeCart": "Change the cart",
  "checkout.contact": "Your details",
  "checkout.email": "Email",
  "checkout.emailHint":
    "Used only to find your order: with the order number and this email you can look it up from any device.",
  "checkout.cards": "Pay with a test card",
  "checkout.card":
    "{card, select, tok_visa {Visa test card: approved} tok_decline {Test card that is declined} other {Test card whose bank times out}}",
  "checkout.total": "Total",
  "checkout.pay": "Pay {amount}",
  "checkout.paying": "Paying…",
  "checkout.safeHint":
    "Pressing Pay twice is safe: this checkout carries one payment key, so you are charged at most once.",
  "checkout.error.attempt": "This checkout form is malformed",
  "checkout.error.card": "Unknown test card: {card}",

  "refusal.declined.title": "Your card was declined",
  "refusal.declined.message":
    "The bank declined this card and no money was taken. Choose another card and try again.",
  "refusal.rateLimited.title": "Too many payment attempts",
  "refusal.rateLimited.message":
    "The payment service is busy. Please wait {seconds, plural, one {# second} other {# seconds}} and press Pay again; you will not be charged twice.",
  "refusal.network.title": "The payment network is not responding",
  "refusal.network.message":
    "The card network did not answer in time and you have not been charged. Please try again in a moment.",
  "refusal.inUse.title": "Your payment is still being processed",
  "refusal.inUse.message":
    "This order is already being paid. Check your orders in a moment before paying again.",
  "refusal.mismatch.title": "This checkout was already submitted",
  "refusal.mismatch.message":
    "This checkout form was already used with different details. Please review your order and pay again.",
  "refusal.unknown.title": "We could not confirm your payment",
  "refusal.unknown.message":
    "The payment service did not answer. Press Pay again to retry safely: the same payment is never made twice.",
  "refusal.refused.title": "The payment could not be made",
  "refusal.refused.message": "The payment service refused this payment. You have not been charged.",

  "order.title": "Order {number}",
  "order.placed": "Placed {time}",
  "order.items": "Items",
  "order.linesCaption": "Items in this order",
  "order.reload": "Reload to refresh the payment status",
  "order.statusUnavailable": "The payment status is unavailable right now. Reload to try again.",
  "order.notFound":
    "There is no order {id} in this browser. Ordered on another device? Find it with its order number and email",
  "order.error.action": "Unknown action: {intent}",
  "order.error.refundMin": "A refund must be at least {amount}",
  "order.error.refundMax": "You can refund at most {amount} on this order.",
  "order.error.refundForm": "This refund form is malformed. Reload the page and try again",

  "payment.status":
    "{status, select, AUTHORIZED {Card approved} AUTH_FAILED {Card declined} CANCELLED {Cancelled} EXPIRED {Approval expired} CAPTURE_REQUESTED {Payment in progress} CAPTURED {Paid} CAPTURE_FAILED {Payment failed} REFUND_REQUESTED {Refund in progress} PARTIALLY_REFUNDED {Partially refunded} REFUNDED {Refunded} REFUND_FAILED {Refund failed} other {Checking the payment}}",
  "payment.step":
    "{status, select, AUTHORIZED {Card approved} AUTH_FAILED {Card declined} CANCELLED {Order cancelled, approval released} EXPIRED {Approval expired} CAPTURE_REQUESTED {Payment requested} CAPTURED {Payment completed} CAPTURE_FAILED {Payment failed} REFUND_REQUESTED {Refund requested} PARTIALLY_REFUNDED {Partial refund completed} REFUNDED {Refund completed} REFUND_FAILED {Refund failed} other {Updated}}",
  "payment.stepAmount": "{step} · {amount}",

  "status.title": "Payment",
  "status.label": "Status",
  "status.approved": "Approved",
  "status.charged": "Charged",
  "status.refunded": "Refunded",
  "status.timeline": "Timeline",
  "status.waiting": "Waiting for the bank to confirm…",
  "status.live": "Updating live",
  "status.reload": "Reload the page to refresh",
  "status.chargeNow": "Charge now",
  "status.cancel": "Cancel order",

  "refund.title": "Request a refund",
  "refund.amount": "Amount to refund",
  "refund.amountHint":
    "Up to {amount}. Enter all of it for a full refund, or less for a partial one.",
  "refund.reason": "Reason (optional)",
  "refund.review": "Review refund",
  "refund.confirmTitle": "Confirm your refund",
  "refund.confirmText": "You are about to refund {amount} to the card you paid with.",
  "refund.confirmReason": "Reason: {reason}",
  "refund.confirm": "Confirm refund",
  "refund.back": "Keep my order",

  "notice.capturePending":
    "Your card is approved, but the charge has not started yet. Use “Charge now” below.",
  "notice.captureRequested": "The charge was requested. The status below updates by itself.",
  "notice.captured": "Payment completed: {amount} was charged.",
  "notice.captureFailed":
    "The charge did not go through and you have not been charged. Please try again later.",
  "notice.cancelled": "The order was cancelled and the approval released. You were not charged.",
  "notice.refundRequested": "Your refund was requested. The status below updates by itself.",
  "notice.refunded": "Refund completed: {amount} goes back to the card you paid with.",
  "notice.refundFailed": "The refund could not be completed. Please contact us.",

  "action.invalidState":
    "{intent, select, capture {This order cannot be charged in its current state.} cancel {This order cannot be cancelled in its current state.} other {This order cannot be refunded in its current state.}}",
  "action.tooMuch": "That is more than is left to refund on this order.",
  "action.invalid": "The request was not valid: {detail}",
  "action.mismatch":
    "This form was already used for a different amount. Reload the page and try again.",
  "action.rateLimited":
    "Too many requests right now. Please wait {seconds, plural, one {# second} other {# seconds}} and try again.",
  "action.network": "The payment network is not responding. Please try again in a moment.",
  "action.unknown":
    "The payment service did not answer. Try again: the same request is never applied twice.",
  "action.refused": "The payment service refused the request. Please try again later.",

  "orders.title": "Your orders",
  "orders.empty": "You have not placed an order in this browser yet.",
  "orders.start": "Start shopping",
  "orders.link": "Order {number}",
  "orders.line": "{name} × {quantity}",
  "orders.meta": "{time} · {amount}",
  "orders.lookupPrompt": "Ordered on another device, or cleared your cookies?",
  "orders.lookupLink": "Find an order",

  "lookup.title": "Find your order",
  "lookup.lead": "Enter the order number from your order page and the email you gave at checkout.",
  "lookup.number": "Order number",
  "lookup.numberHint": "For example 20251124-7KQ3M9TX",
  "lookup.email": "Email",
  "lookup.submit": "Find order",
  "lookup.notFound": "No order matches that order number and email. Check both and try again.",
} as const;

export type StoreMessageKey = keyof typeof en;
