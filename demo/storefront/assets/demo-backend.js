// DEMO ONLY. A real shop has a server of its own: its login signs the shopper token (see the
// README's Liquid example) and its checkout sends the order webhook (POST /v1/orders) with the
// admin key, which never reaches a browser. This static demo shop has no server, so
// `loyalty-server --demo` (loopback only) stands in for it with two routes:
//   POST /demo/session {customerId}            -> {token, expiresAt}   (the shop's login)
//   POST /demo/orders  {orderId, amounts}, with the shopper's token
//                                              -> {applied, points, customer} (its checkout)
// Neither needs the admin key, and this page never has it.
const tokens = new Map(); // customerId -> Promise<token>, one sign-in per page load

async function postJson(path, body, headers = {}) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.error?.message ?? `${path}: HTTP ${response.status}`);
  return answer;
}

/** A shopper token `<customerId>.<expiry>.<signature>` for a sample customer. */
export function shopperTokenFor(customerId) {
  if (!tokens.has(customerId)) {
    const signedIn = postJson('/demo/session', { customerId }).then((answer) => answer.token);
    signedIn.catch(() => tokens.delete(customerId)); // a failed sign-in may be retried
    tokens.set(customerId, signedIn);
  }
  return tokens.get(customerId);
}

/** The signed-in shopper's order, applied by the backend as the order webhook would be. */
export async function placeOrder({ customerId, orderId, amounts }) {
  const token = await shopperTokenFor(customerId);
  return postJson('/demo/orders', { orderId, amounts }, { Authorization: `Bearer ${token}` });
}
