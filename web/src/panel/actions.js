// What the panel's buttons do: redeem (confirm, POST with an Idempotency-Key, coupon), claim,
// copy and share. Each handler reads the controller's state, changes it with update(patch) and
// never throws.
import { safeUrl } from './dom.js';
import { backendErrorText, describe } from './errors.js';

function newIdempotencyKey() {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return [...crypto.getRandomValues(new Uint8Array(16))]
    .map((byte) => byte.toString(16).padStart(2, '0'))
    .join('');
}

const byKey = (key) => (panel) => panel.querySelector(`[data-key="${CSS.escape(key)}"]`);
const without = (map, key) => Object.fromEntries(Object.entries(map).filter(([k]) => k !== key));

/**
 * The handlers the sections call. `state()` is the controller's state (its `ui` part holds
 * confirm, busy, redeemed, errors, claims, copied); `update(patch, {focus})` changes it and
 * draws once, then focuses what `focus(panel)` returns; `loader` gives the backend (null in
 * static mode) and takes the customer a POST returned; `signOut(failure)` when the backend
 * refuses the shopper's token.
 */
export function createActions({ host, state, update, emit, guard, formatter, loader, signOut }) {
  const ui = () => state().ui;
  const setUi = (patch, options) => update({ ui: { ...ui(), ...patch } }, options);
  const destroyed = () => state().destroyed;
  /**
   * What the core says these points buy (flexible rewards only: a fixed one's title says it).
   * The answer carries its own points, and the confirmation states that pair, so the text never
   * pairs one number of points with another's value while the core answers.
   */
  const quote = async (reward, points) => {
    if (!reward.incremental) return;
    const answer = await loader.quoteRedemption(reward.id, points);
    const confirm = ui().confirm;
    if (destroyed() || !answer || confirm?.rewardId !== reward.id || confirm.points !== points) {
      return;
    }
    setUi({ confirm: { ...confirm, quote: answer } });
  };
  const acceptCustomer = async (answer) => {
    if (answer?.customer) update(await loader.acceptCustomer(answer));
  };

  return {
    joinUrl: () => host.joinUrl || '/account/register',
    signInUrl: () => host.signInUrl || '/account/login',
    startConfirm: guard(async (reward) => {
      const step = reward.incremental;
      const points = step
        ? Math.max(
            step.minPoints,
            Math.min(step.maxAffordablePoints ?? step.minPoints, step.maxPoints),
          )
        : reward.cost;
      // A flexible reward's confirmation opens with its value: the core is asked first.
      const first = step ? await loader.quoteRedemption(reward.id, points) : null;
      if (destroyed()) return;
      setUi(
        {
          confirm: { rewardId: reward.id, points, key: newIdempotencyKey(), quote: first },
          errors: without(ui().errors, reward.id),
        },
        { focus: byKey(`confirm-${reward.id}`) },
      );
    }),
    /** The shopper chose how many points to spend on a flexible reward (typed or stepped). */
    setConfirmPoints: guard((reward, points) => {
      const confirm = ui().confirm;
      if (!confirm || confirm.rewardId !== reward.id || !Number.isFinite(points)) return;
      // The stepper moves at once; the text keeps the last quote's pair until the new one.
      setUi({ confirm: { ...confirm, points } });
      return quote(reward, points);
    }),
    cancelConfirm: guard(() => {
      const rewardId = ui().confirm?.rewardId;
      setUi({ confirm: null }, { focus: rewardId ? byKey(`redeem-${rewardId}`) : null });
    }),
    redeem: guard(async (reward) => {
      const { confirm, busy } = ui();
      if (!confirm || busy) return;
      const request = { rewardId: reward.id };
      if (reward.incremental) request.points = confirm.points;
      setUi({ busy: reward.id });
      const fmt = formatter();
      let patch;
      try {
        const backend = loader.backend;
        if (!backend) {
          patch = { redeemed: { ...ui().redeemed, [reward.id]: { preview: true, ...request } } };
          emit('loyalty:redeem', { preview: true, ...request });
        } else {
          const answer = await backend.redeem(request, confirm.key);
          if (destroyed()) return;
          const redemption = answer?.redemption ?? {};
          patch = { redeemed: { ...ui().redeemed, [reward.id]: redemption } };
          await acceptCustomer(answer);
          emit('loyalty:redeem', { redemption });
        }
        patch.confirm = null;
      } catch (error) {
        if (describe(error).kind === 'unauthorized') return signOut(describe(error));
        patch = { errors: { ...ui().errors, [reward.id]: backendErrorText(error, fmt) } };
        emit('loyalty:error', { ...describe(error), action: 'redeem', rewardId: reward.id });
      }
      const id = CSS.escape(reward.id);
      setUi(
        { ...patch, busy: null },
        {
          focus: (panel) =>
            panel.querySelector(`[data-key="copy-${id}"]`) ??
            panel.querySelector(`[data-key="confirm-${id}"]`) ??
            panel.querySelector(`[data-reward="${id}"] [role="alert"]`)?.closest('li'),
        },
      );
    }),
    claim: guard(async (way) => {
      const url = safeUrl(way.url);
      if (url) window.open(url, '_blank', 'noopener,noreferrer');
      const backend = loader.backend;
      if (!backend) return;
      setUi({ busy: way.id, errors: without(ui().errors, way.id) });
      const fmt = formatter();
      let patch;
      try {
        const answer = await backend.claim({ ruleId: way.id });
        if (destroyed()) return;
        const points = answer?.claim?.points ?? way.points;
        patch = {
          claims: { ...ui().claims, [way.id]: fmt.t('earn.claimed', { points: { points } }) },
        };
        await acceptCustomer(answer);
      } catch (error) {
        if (describe(error).kind === 'unauthorized') return signOut(describe(error));
        patch = { errors: { ...ui().errors, [way.id]: backendErrorText(error, fmt) } };
        emit('loyalty:error', { ...describe(error), action: 'claim', ruleId: way.id });
      }
      setUi({ ...patch, busy: null });
    }),
    copy: guard(async (key, text, doneKey, channel) => {
      const fmt = formatter();
      let status;
      try {
        await navigator.clipboard.writeText(text);
        status = fmt.t(doneKey);
        if (channel) emit('loyalty:share', { channel, url: text });
      } catch {
        status = fmt.t('error.copy');
      }
      setUi({ copied: { ...ui().copied, [key]: status } });
    }),
    /** The coupon a referred visitor claimed on an earlier page, or null. */
    friendCoupon: () => loader.friendCoupon,
    /** A referred visitor asks for their friend's reward with their email address. */
    claimFriendReward: guard(async (offer, email) => {
      if (ui().busy) return;
      const fmt = formatter();
      const address = String(email ?? '').trim();
      const focusField = byKey('friend-email');
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address)) {
        setUi(
          { friend: { email: address, error: fmt.t('friend.invalidEmail') } },
          { focus: focusField },
        );
        return;
      }
      const backend = loader.backend;
      if (!backend) {
        setUi({ friend: { preview: true } });
        emit('loyalty:friend-claim', { preview: true, code: offer.code });
        return;
      }
      setUi({ busy: 'friend', friend: { email: address } });
      let friend;
      try {
        const answer = await backend.claimFriendReward({ code: offer.code, email: address });
        if (destroyed()) return;
        const coupon = answer?.friendReward;
        if (typeof coupon?.code !== 'string' || !coupon.code) throw new Error('no coupon code');
        loader.keepFriendCoupon(coupon);
        friend = { coupon };
        emit('loyalty:friend-claim', { code: offer.code, coupon: coupon.code });
      } catch (error) {
        friend = { email: address, error: backendErrorText(error, fmt) };
        emit('loyalty:error', { ...describe(error), action: 'friend-claim' });
      }
      setUi({ friend, busy: null }, { focus: friend.coupon ? byKey('copy-friend') : focusField });
    }),
    share: guard((channel, url) => {
      window.open(url, '_blank', 'noopener,noreferrer');
      emit('loyalty:share', { channel, url });
    }),
    shareNative: guard((referral) => {
      navigator.share({ text: referral.message, url: referral.link }).catch(() => {});
      emit('loyalty:share', { channel: 'native', url: referral.link });
    }),
  };
}
