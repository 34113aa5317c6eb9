// DEMO ONLY. In a real shop, the shop's own server signs shopper tokens (see the README's Liquid
// example) and its platform sends the order webhook with the admin key. This static demo shop
// has no server of its own, so it uses what demo/start prepared for this run in
// /demo-config/config.json: tokens for the sample customers, signed with the run's secret by the
// backend's token tool (loyalty-token), and the run's admin key.
let configPromise = null;

export function demoConfig() {
  configPromise ??= fetch('/demo-config/config.json').then((response) => {
    if (!response.ok) throw new Error(`no demo config (HTTP ${response.status})`);
    return response.json();
  });
  return configPromise;
}

/** A shopper token `<customerId>.<expiry>.<signature>` for a sample customer. */
export async function shopperTokenFor(customerId) {
  const token = (await demoConfig()).tokens?.[customerId];
  if (!token) throw new Error(`no demo token for ${customerId}`);
  return token;
}

/** The order webhook (CONTRACT.md: POST /v1/orders) as the shop's platform would send it. */
export async function placeOrder({ customerId, orderId, amounts }) {
  const { adminKey } = await demoConfig();
  const response = await fetch('/v1/orders', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Admin-Key': adminKey },
    body: JSON.stringify({ id: `evt-${orderId}`, type: 'placed', customerId, orderId, amounts }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error?.message ?? `HTTP ${response.status}`);
  return body; // {applied, points}
}
