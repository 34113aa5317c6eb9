// The panel's sections by name, in SECTIONS order; guests see only those anyone may see.
import { renderActivity } from './activity.js';
import { renderEarn } from './earn.js';
import { renderReferral } from './referral.js';
import { renderRewards } from './rewards.js';
import { renderTier } from './tier.js';

export { renderGuest } from './guest.js';

const always = () => true;

/**
 * name → {render(view, fmt, ui) → section node or null, shows(view): whether render draws
 * something (the nav is built before the sections are), membersOnly}
 */
export const SECTION_RENDERERS = {
  rewards: { render: renderRewards, shows: always, membersOnly: false },
  earn: { render: renderEarn, shows: always, membersOnly: false },
  referral: { render: renderReferral, shows: (view) => Boolean(view.referral), membersOnly: true },
  vip: { render: renderTier, shows: (view) => Boolean(view.tier), membersOnly: true },
  activity: { render: renderActivity, shows: always, membersOnly: true },
};
