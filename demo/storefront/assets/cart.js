// The cart lives in localStorage as [{productId, quantity}]; amounts are computed from the
// catalog in minor units so the order sent to the backend matches what the page shows.
import { findProduct } from './catalog.js';

const cartKey = 'demo-shop-cart';
const couponKey = 'demo-shop-coupon';
export const freeShippingFrom = 5000;
export const shippingFee = 600;

export function readCart() {
  const lines = JSON.parse(localStorage.getItem(cartKey) ?? '[]');
  return lines.filter((line) => findProduct(line.productId) && line.quantity > 0);
}

function writeCart(lines) {
  localStorage.setItem(cartKey, JSON.stringify(lines));
  document.dispatchEvent(new CustomEvent('demo-shop:cart-changed'));
}

export function addToCart(productId, quantity = 1) {
  const lines = readCart();
  const line = lines.find((entry) => entry.productId === productId);
  if (line) line.quantity += quantity;
  else lines.push({ productId, quantity });
  writeCart(lines);
}

export function setQuantity(productId, quantity) {
  writeCart(
    readCart()
      .map((line) => (line.productId === productId ? { ...line, quantity } : line))
      .filter((line) => line.quantity > 0),
  );
}

export function clearCart() {
  localStorage.removeItem(couponKey);
  writeCart([]);
}

/**
 * The coupon a redemption gave, as the shop's checkout applies it:
 * {code, kind: 'amount' | 'percent' | 'shipping' | 'gift', amount?, percent?}.
 */
export function readCoupon() {
  return JSON.parse(localStorage.getItem(couponKey) ?? 'null');
}

export function applyCoupon(coupon) {
  localStorage.setItem(couponKey, JSON.stringify(coupon));
  document.dispatchEvent(new CustomEvent('demo-shop:cart-changed'));
}

export function removeCoupon() {
  localStorage.removeItem(couponKey);
  document.dispatchEvent(new CustomEvent('demo-shop:cart-changed'));
}

export function itemCount() {
  return readCart().reduce((sum, line) => sum + line.quantity, 0);
}

/**
 * Contract-shaped amounts: {subtotal, discount, shipping, tax} in minor units, with the coupon
 * applied the way this shop's checkout does it (whole cents, never below zero).
 */
export function cartAmounts(lines = readCart(), coupon = readCoupon()) {
  const subtotal = lines.reduce(
    (sum, line) => sum + findProduct(line.productId).price * line.quantity,
    0,
  );
  let shipping = subtotal === 0 || subtotal >= freeShippingFrom ? 0 : shippingFee;
  let discount = 0;
  if (subtotal > 0 && coupon?.kind === 'amount') discount = Math.min(subtotal, coupon.amount);
  if (subtotal > 0 && coupon?.kind === 'percent') {
    discount = Math.floor((subtotal * coupon.percent) / 100);
  }
  if (coupon?.kind === 'shipping') shipping = Math.max(0, shipping - (coupon.amount ?? shipping));
  return { subtotal, discount, shipping, tax: 0 };
}

/** The cart as the launcher's context.cart (for its "this order earns" preview). */
export function cartContext(currency, lines = readCart()) {
  return {
    currency,
    amounts: cartAmounts(lines),
    items: lines.map((line) => ({
      productId: line.productId,
      quantity: line.quantity,
      price: findProduct(line.productId).price,
    })),
  };
}
