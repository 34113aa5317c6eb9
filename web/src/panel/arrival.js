// The referral link a visitor arrived through, kept like a referral cookie: for 30 days, in the
// page's localStorage under the backend's address, so later pages of the shop still greet them
// and show the code they claimed. The core checks what is read back (context.referredBy).
const KEEP_MS = 30 * 24 * 60 * 60 * 1000;

const isText = (value) => typeof value === 'string' && value.length > 0 && value.length <= 200;

/** {read() → {code, advocateFirstName, coupon?} | null, write(arrival), forget()} */
export function createArrivalStore(api, storage = globalThis.localStorage) {
  const key = `loyalty:v1:${api}:arrival`;
  return {
    read() {
      try {
        const saved = JSON.parse(storage?.getItem(key) ?? 'null');
        if (!saved || !(Date.now() - saved.savedAt < KEEP_MS)) return null;
        if (!isText(saved.code) || !isText(saved.advocateFirstName)) return null;
        const coupon = saved.coupon && isText(saved.coupon.code) ? saved.coupon : null;
        return { code: saved.code, advocateFirstName: saved.advocateFirstName, coupon };
      } catch {
        return null; // blocked or garbled storage: as if they had not arrived through a link
      }
    },
    write(arrival) {
      try {
        storage?.setItem(key, JSON.stringify({ ...arrival, savedAt: Date.now() }));
      } catch {
        /* storage full or blocked: the greeting lasts for this page only */
      }
    },
    forget() {
      try {
        storage?.removeItem(key);
      } catch {
        /* nothing was kept */
      }
    },
  };
}
