// The button's last known label, balance, side and accent per shopper, kept in sessionStorage
// so the next page view paints the button at once, before the panel code or the core load.
const BADGE_KEY = 'loyalty:v1:badge:';

/** The saved button info for a customer id ('' = guest), or null. */
export function readBadge(customerId) {
  try {
    return JSON.parse(sessionStorage.getItem(BADGE_KEY + (customerId || 'guest')) ?? 'null');
  } catch {
    return null;
  }
}

export function writeBadge(customerId, info) {
  try {
    sessionStorage.setItem(BADGE_KEY + (customerId || 'guest'), JSON.stringify(info));
  } catch {
    /* storage blocked: the badge is only a speed-up */
  }
}

export function forgetBadge(customerId) {
  try {
    sessionStorage.removeItem(BADGE_KEY + (customerId || 'guest'));
  } catch {
    /* storage blocked: nothing was saved */
  }
}
