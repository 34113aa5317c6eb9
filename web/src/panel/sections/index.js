// The panel's sections by name, in SECTIONS order; guests see only those anyone may see.
import { renderActivity } from './activity.js';
import { renderEarn } from './earn.js';
import { renderReferral } from './referral.js';
import { renderRewards } from './rewards.js';
import { renderTier } from './tier.js';

export { renderGuest } from './guest.js';

/** name → {render(view, fmt, ui) → section node or null, membersOnly} */
export const SECTION_RENDERERS = {
  rewards: { render: renderRewards, membersOnly: false },
  earn: { render: renderEarn, membersOnly: false },
  referral: { render: renderReferral, membersOnly: true },
  vip: { render: renderTier, membersOnly: true },
  activity: { render: renderActivity, membersOnly: true },
};
