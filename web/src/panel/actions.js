// What the panel's buttons do: redeem (confirm, POST with an Idempotency-Key, coupon), claim,
// copy and share. State lives in `ui.state`; every handler re-renders and never throws.
import { safeUrl } from './dom.js';
import { backendErrorText, describe } from './errors.js';

function newIdempotencyKey() {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return [...crypto.getRandomValues(new Uint8Array(16))]
    .map((byte) => byte.toString(16).padStart(2, '0'))
    .join('');
}

/**
 * The handlers the sections call. `session()` gives the backend (null in static mode) and
 * whether the launcher was destroyed; `acceptCustomer(answer)` takes the customer a POST returned.
 */
export function createActions({
  host,
  ui,
  panel,
  emit,
  guard,
  render,
  close,
  formatter,
  session,
  acceptCustomer,
}) {
  return {
    joinUrl: () => host.joinUrl || '/account/register',
    signInUrl: () => host.signInUrl || '/account/login',
    close: guard(close),
    startConfirm: guard((reward) => {
      const step = reward.incremental;
      const points = step
        ? Math.max(
            step.minPoints,
            Math.min(step.maxAffordablePoints ?? step.minPoints, step.maxPoints),
          )
        : reward.cost;
      ui.state.confirm = { rewardId: reward.id, points, key: newIdempotencyKey() };
      delete ui.state.errors[reward.id];
      render();
      panel.querySelector(`[data-key="confirm-${CSS.escape(reward.id)}"]`)?.focus();
    }),
    setConfirmPoints: guard((points) => {
      if (ui.state.confirm && Number.isFinite(points)) ui.state.confirm.points = points;
    }),
    cancelConfirm: guard(() => {
      const rewardId = ui.state.confirm?.rewardId;
      ui.state.confirm = null;
      render();
      if (rewardId) panel.querySelector(`[data-key="redeem-${CSS.escape(rewardId)}"]`)?.focus();
    }),
    redeem: guard(async (reward) => {
      const confirm = ui.state.confirm;
      if (!confirm || ui.state.busy) return;
      const request = { rewardId: reward.id };
      if (reward.incremental) request.points = confirm.points;
      ui.state.busy = reward.id;
      render();
      const fmt = formatter();
      try {
        const { backend } = session();
        if (!backend) {
          ui.state.redeemed[reward.id] = { preview: true, ...request };
          emit('loyalty:redeem', { preview: true, ...request });
        } else {
          const answer = await backend.redeem(request, confirm.key);
          if (session().destroyed) return;
          const redemption = answer?.redemption ?? {};
          ui.state.redeemed[reward.id] = redemption;
          if (answer?.customer) acceptCustomer(answer);
          emit('loyalty:redeem', { redemption });
        }
        ui.state.confirm = null;
      } catch (error) {
        ui.state.errors[reward.id] = backendErrorText(error, fmt);
        emit('loyalty:error', { ...describe(error), action: 'redeem', rewardId: reward.id });
      }
      ui.state.busy = null;
      render();
      const focusTarget =
        panel.querySelector(`[data-key="copy-${CSS.escape(reward.id)}"]`) ??
        panel.querySelector(`[data-key="confirm-${CSS.escape(reward.id)}"]`) ??
        panel
          .querySelector(`[data-reward="${CSS.escape(reward.id)}"] [role="alert"]`)
          ?.closest('li');
      focusTarget?.focus?.();
    }),
    claim: guard(async (way) => {
      const url = safeUrl(way.url);
      if (url) window.open(url, '_blank', 'noopener,noreferrer');
      const { backend } = session();
      if (!backend) return;
      ui.state.busy = way.id;
      delete ui.state.errors[way.id];
      render();
      const fmt = formatter();
      try {
        const answer = await backend.claim({ ruleId: way.id });
        if (session().destroyed) return;
        ui.state.claims[way.id] = fmt.t('earn.claimed', {
          points: { points: answer?.claim?.points ?? way.points },
        });
        if (answer?.customer) acceptCustomer(answer);
      } catch (error) {
        ui.state.errors[way.id] = backendErrorText(error, fmt);
        emit('loyalty:error', { ...describe(error), action: 'claim', ruleId: way.id });
      }
      ui.state.busy = null;
      render();
    }),
    copy: guard(async (key, text, doneKey, channel) => {
      const fmt = formatter();
      try {
        await navigator.clipboard.writeText(text);
        ui.state.copied[key] = fmt.t(doneKey);
        if (channel) emit('loyalty:share', { channel, url: text });
      } catch {
        ui.state.copied[key] = fmt.t('error.copy');
      }
      render();
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
