/** The shop's Korean texts: written as a Korean shop writes them, keys as in en.ts. */
import type { StoreMessageKey } from "./en.ts";

export const ko: Readonly<Record<StoreMessageKey, string>> = {
  "shell.title": "{page} · {shop}",
  "shell.description":
    "시그니처 테크와 아틀리에 리빙. SWElite 결제 플랫폼으로 결제하는 데모 상점입니다.",
  "shell.skipLink": "본문 바로가기",
  "shell.navLabel": "주 메뉴",
  "shell.orders": "주문 내역",
  "shell.cart": "장바구니",
  "shell.cartCount": "장바구니에 상품 {count}개",
  "shell.language": "언어",
  "shell.footerDemo": "데모 상점입니다. 테스트 카드로만 결제되며 실제 돈은 오가지 않습니다.",
  "shell.footerVat": "모든 가격은 부가세 포함입니다. 전국 무료 배송.",

  "home.eyebrow": "새 시즌",
  "home.title": "잘 고른 물건, 결제는 한 번에.",
  "home.lead":
    "직접 고른 두 가지 컬렉션을 소개합니다. 모든 주문은 자체 결제 플랫폼에서 승인·결제되며, 환불도 바로 요청할 수 있습니다.",
  "home.cta": "컬렉션 둘러보기",

  "product.breadcrumb": "현재 위치",
  "product.home": "홈",
  "product.imageAlt": "{name} 일러스트",
  "product.details": "상세 정보",
  "product.colourLegend": "색상: {colour}",
  "product.quantity": "수량",
  "product.oneLess": "수량 줄이기",
  "product.oneMore": "수량 늘리기",
  "product.addToCart": "장바구니 담기",
  "product.notFound": "상품을 찾을 수 없습니다: {slug}",

  "cart.title": "장바구니",
  "cart.emptyTitle": "장바구니가 비어 있습니다",
  "cart.emptyLead": "시그니처 테크와 아틀리에 리빙에서 마음에 드는 상품을 찾아보세요.",
  "cart.browse": "컬렉션 둘러보기",
  "cart.added": "{name} 상품을 장바구니에 담았습니다.",
  "cart.lineMeta": "{colour} · 개당 {price}",
  "cart.quantity": "수량",
  "cart.quantityOf": "{name} {colour} 수량",
  "cart.update": "변경",
  "cart.remove": "삭제",
  "cart.removeWhich": "{name} {colour} 삭제",
  "cart.summary": "결제 예정 금액",
  "cart.subtotal": "상품 금액",
  "cart.delivery": "배송비",
  "cart.free": "무료",
  "cart.total": "총 결제 금액",
  "cart.checkout": "주문하기",
  "cart.error.quantity": "수량은 1개부터 {max}개까지 선택할 수 있습니다: {quantity}",
  "cart.error.product": "없는 상품입니다: {slug}",
  "cart.error.colour": "없는 색상입니다: {colour}",
  "cart.error.linesMax": "장바구니에는 최대 {max}종류의 상품을 담을 수 있습니다",
  "cart.error.notInCart": "장바구니에 없는 상품입니다: {slug} ({colour})",
  "cart.error.totalMax": "결제 한도를 넘는 금액입니다: {total}",
  "cart.error.action": "알 수 없는 장바구니 요청입니다: {intent}",

  "lines.item": "상품",
  "lines.quantity": "수량",
  "lines.amount": "금액",
  "lines.total": "합계",

  "form.missing": "필수 입력 항목입니다: {name}",
  "form.tooLong": "입력 내용이 너무 깁니다: {name}",
  "form.notNumber": "숫자만 입력해 주세요: {value}",
  "form.email": "올바른 이메일 주소를 입력해 주세요: {value}",

  "error.eyebrow": "오류 {status}",
  "error.back": "쇼핑 계속하기",
  "error.notFoundTitle": "페이지를 찾을 수 없습니다",
  "error.csrf":
    "만료되었거나 이 상점에서 보내지 않은 양식입니다. 이전 페이지로 돌아가 새로고침한 뒤 다시 시도해 주세요",
  "error.noPage": "없는 페이지입니다: {path}",
  "error.method": "이 주소에서는 {method} 요청을 받을 수 없습니다",
  "error.formType": "양식은 URL 인코딩으로 보내야 합니다: {type}",
  "error.formSize": "양식이 {bytes, number}바이트를 넘습니다",
  "error.state": "지금은 장바구니 정보를 불러올 수 없습니다. 잠시 후 다시 시도해 주세요",
  "error.internal": "일시적인 오류가 발생했습니다. 잠시 후 다시 시도해 주세요",
  "problem.title":
    "{code, select, not_found {찾을 수 없습니다} forbidden {요청이 거부되었습니다} method_not_allowed {허용되지 않는 요청입니다} validation_error {입력 내용을 확인해 주세요} unsupported_media_type {지원하지 않는 양식입니다} payload_too_large {양식이 너무 큽니다} upstream_unavailable {일시적으로 이용할 수 없습니다} other {오류가 발생했습니다}}",

  "checkout.title": "주문/결제",
  "checkout.staleTitle": "장바구니가 변경되었습니다",
  "checkout.staleMessage":
    "이 페이지를 연 뒤 장바구니가 바뀌었습니다. 아래 금액을 확인하고 다시 결제해 주세요.",
  "checkout.review": "주문 상품 확인",
  "checkout.linesCaption": "주문 상품",
  "checkout.changeCart": "장바구니 수정",
  "checkout.contact": "주문자 정보",
  "checkout.email": "이메일",
  "checkout.emailHint":
    "주문 조회에만 사용합니다. 주문번호와 이 이메일로 어느 기기에서든 주문을 확인할 수 있습니다.",
  "checkout.cards": "결제 수단 (테스트 카드)",
  "checkout.card":
    "{card, select, tok_visa {Visa 테스트 카드 (승인)} tok_decline {승인이 거절되는 테스트 카드} other {카드사 응답이 없는 테스트 카드}}",
  "checkout.total": "총 결제 금액",
  "checkout.pay": "{amount} 결제하기",
  "checkout.paying": "결제 중…",
  "checkout.safeHint":
    "결제하기를 두 번 눌러도 괜찮습니다. 이 주문에는 결제 키가 하나뿐이라 한 번만 결제됩니다.",
  "checkout.error.attempt": "잘못된 주문서입니다",
  "checkout.error.card": "알 수 없는 테스트 카드입니다: {card}",

  "refusal.declined.title": "카드 승인이 거절되었습니다",
  "refusal.declined.message":
    "카드사에서 승인을 거절했으며 결제된 금액은 없습니다. 다른 카드로 다시 시도해 주세요.",
  "refusal.rateLimited.title": "결제 요청이 너무 많습니다",
  "refusal.rateLimited.message":
    "결제 서비스가 혼잡합니다. {seconds}초 뒤에 결제하기를 다시 눌러 주세요. 두 번 결제되지 않습니다.",
  "refusal.network.title": "카드사가 응답하지 않습니다",
  "refusal.network.message": "카드사 응답이 늦어 결제되지 않았습니다. 잠시 후 다시 시도해 주세요.",
  "refusal.inUse.title": "결제를 처리하고 있습니다",
  "refusal.inUse.message":
    "이 주문은 이미 결제 중입니다. 다시 결제하기 전에 잠시 후 주문 내역을 확인해 주세요.",
  "refusal.mismatch.title": "이미 제출된 주문서입니다",
  "refusal.mismatch.message":
    "이 주문서는 다른 내용으로 이미 제출되었습니다. 주문 내용을 확인하고 다시 결제해 주세요.",
  "refusal.unknown.title": "결제 결과를 확인하지 못했습니다",
  "refusal.unknown.message":
    "결제 서비스가 응답하지 않았습니다. 결제하기를 다시 눌러도 같은 결제가 두 번 이루어지지 않습니다.",
  "refusal.refused.title": "결제하지 못했습니다",
  "refusal.refused.message": "결제 서비스에서 이 결제를 거절했습니다. 결제된 금액은 없습니다.",

  "order.title": "주문번호 {number}",
  "order.placed": "주문일시 {time}",
  "order.items": "주문 상품",
  "order.linesCaption": "이 주문의 상품",
  "order.reload": "새로고침하여 결제 상태 확인하기",
  "order.statusUnavailable": "지금은 결제 상태를 불러올 수 없습니다. 잠시 후 새로고침해 주세요.",
  "order.notFound":
    "이 브라우저의 주문 내역에 없는 주문입니다: {id}. 다른 기기에서 주문하셨다면 주문번호와 이메일로 조회해 주세요",
  "order.error.action": "알 수 없는 요청입니다: {intent}",
  "order.error.refundMin": "환불 금액은 {amount} 이상이어야 합니다",
  "order.error.refundMax": "이 주문은 최대 {amount}까지 환불할 수 있습니다.",
  "order.error.refundForm": "잘못된 환불 요청입니다. 페이지를 새로고침한 뒤 다시 시도해 주세요",

  "payment.status":
    "{status, select, AUTHORIZED {카드 승인 완료} AUTH_FAILED {카드 승인 거절} CANCELLED {주문 취소} EXPIRED {승인 기간 만료} CAPTURE_REQUESTED {결제 처리 중} CAPTURED {결제 완료} CAPTURE_FAILED {결제 실패} REFUND_REQUESTED {환불 처리 중} PARTIALLY_REFUNDED {부분 환불 완료} REFUNDED {환불 완료} REFUND_FAILED {환불 실패} other {결제 확인 중}}",
  "payment.step":
    "{status, select, AUTHORIZED {카드 승인} AUTH_FAILED {카드 승인 거절} CANCELLED {주문 취소 (카드 승인 취소)} EXPIRED {승인 기간 만료} CAPTURE_REQUESTED {결제 요청} CAPTURED {결제 완료} CAPTURE_FAILED {결제 실패} REFUND_REQUESTED {환불 요청} PARTIALLY_REFUNDED {부분 환불 완료} REFUNDED {환불 완료} REFUND_FAILED {환불 실패} other {상태 변경}}",
  "payment.stepAmount": "{step} · {amount}",

  "status.title": "결제 정보",
  "status.label": "결제 상태",
  "status.approved": "승인 금액",
  "status.charged": "결제 금액",
  "status.refunded": "환불 금액",
  "status.timeline": "진행 내역",
  "status.waiting": "카드사 확인을 기다리는 중…",
  "status.live": "실시간으로 갱신 중",
  "status.reload": "새로고침하면 최신 상태를 볼 수 있습니다",
  "status.chargeNow": "지금 결제하기",
  "status.cancel": "주문 취소",

  "refund.title": "환불 요청",
  "refund.amount": "환불 금액",
  "refund.amountHint": "최대 {amount}까지 환불할 수 있습니다. 전액 또는 일부 금액을 입력해 주세요.",
  "refund.reason": "환불 사유 (선택)",
  "refund.review": "환불 요청",
  "refund.confirmTitle": "환불 요청 확인",
  "refund.confirmText": "결제하신 카드로 {amount} 환불을 요청합니다.",
  "refund.confirmReason": "사유: {reason}",
  "refund.confirm": "환불하기",
  "refund.back": "돌아가기",

  "notice.capturePending":
    "카드 승인은 완료되었지만 아직 결제되지 않았습니다. 아래 ‘지금 결제하기’를 눌러 주세요.",
  "notice.captureRequested": "결제를 요청했습니다. 아래 결제 상태는 자동으로 갱신됩니다.",
  "notice.captured": "결제가 완료되었습니다. 결제 금액: {amount}",
  "notice.captureFailed":
    "결제가 이루어지지 않았으며 청구된 금액은 없습니다. 잠시 후 다시 시도해 주세요.",
  "notice.cancelled": "주문이 취소되고 카드 승인도 취소되었습니다. 결제된 금액은 없습니다.",
  "notice.refundRequested": "환불을 요청했습니다. 아래 결제 상태는 자동으로 갱신됩니다.",
  "notice.refunded": "환불이 완료되었습니다. 결제하신 카드로 {amount}을 돌려드립니다.",
  "notice.refundFailed": "환불을 완료하지 못했습니다. 고객센터로 문의해 주세요.",

  "action.invalidState":
    "{intent, select, capture {지금 상태에서는 이 주문을 결제할 수 없습니다.} cancel {지금 상태에서는 이 주문을 취소할 수 없습니다.} other {지금 상태에서는 이 주문을 환불할 수 없습니다.}}",
  "action.tooMuch": "남은 환불 가능 금액보다 많습니다.",
  "action.invalid": "요청 내용이 올바르지 않습니다. 입력한 값을 확인해 주세요.",
  "action.mismatch":
    "이 양식은 이미 다른 금액으로 제출되었습니다. 페이지를 새로고침한 뒤 다시 시도해 주세요.",
  "action.rateLimited": "요청이 너무 많습니다. {seconds}초 뒤에 다시 시도해 주세요.",
  "action.network": "카드사가 응답하지 않습니다. 잠시 후 다시 시도해 주세요.",
  "action.unknown":
    "결제 서비스가 응답하지 않았습니다. 다시 시도해도 같은 요청이 두 번 처리되지 않습니다.",
  "action.refused": "결제 서비스에서 요청을 거절했습니다. 잠시 후 다시 시도해 주세요.",

  "orders.title": "주문 내역",
  "orders.empty": "이 브라우저에서 주문한 내역이 없습니다.",
  "orders.start": "쇼핑 시작하기",
  "orders.link": "주문번호 {number}",
  "orders.line": "{name} × {quantity}",
  "orders.meta": "{time} · {amount}",
  "orders.lookupPrompt": "다른 기기에서 주문하셨거나 쿠키를 지우셨나요?",
  "orders.lookupLink": "주문 조회하기",

  "lookup.title": "주문 조회",
  "lookup.lead": "주문번호와 주문할 때 입력한 이메일을 입력해 주세요.",
  "lookup.number": "주문번호",
  "lookup.numberHint": "예: 20251124-7KQ3M9TX",
  "lookup.email": "이메일",
  "lookup.submit": "조회하기",
  "lookup.notFound": "주문번호와 이메일이 일치하는 주문이 없습니다. 다시 확인해 주세요.",
};
