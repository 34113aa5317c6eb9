// A bubble above the launcher button for a visitor who came through a referral link ("Bea sent
// you $10.00 off"): it opens the panel at the greeting, and goes for the session once opened or
// dismissed. Placed, not in the page's flow, so nothing on the page moves.
import { directionFor, shownLanguage } from '../i18n.js';
import { h } from './dom.js';

const SEEN = 'loyalty:v1:friend-callout-seen';

function seen() {
  try {
    return globalThis.sessionStorage?.getItem(SEEN) === '1';
  } catch {
    return false;
  }
}

export function createCallout(shadowRoot, { open }) {
  let node = null;
  let hiddenForGood = seen();

  function remove() {
    node?.remove();
    node = null;
  }

  function done() {
    hiddenForGood = true;
    remove();
    try {
      globalThis.sessionStorage?.setItem(SEEN, '1');
    } catch {
      /* it may come back on the next page: harmless */
    }
  }

  return {
    /** Shows, changes or removes the bubble for the panel's current view. */
    render(view, fmt, { isOpen, claimed }) {
      const offer = view?.friendOffer;
      if (isOpen && node) done();
      if (!offer || isOpen || claimed || hiddenForGood) return remove();
      const text = fmt.t('friend.callout', {
        name: { text: offer.advocateFirstName },
        reward: { message: offer.reward },
      });
      const next = h(
        'div',
        { part: 'callout', lang: shownLanguage(view.locale), dir: directionFor(view.locale) },
        h(
          'button',
          {
            type: 'button',
            part: 'callout-open',
            onclick: () => {
              done();
              open('friend');
            },
          },
          text,
        ),
        h(
          'button',
          {
            type: 'button',
            part: 'callout-dismiss',
            'aria-label': fmt.t('friend.dismiss'),
            onclick: done,
          },
          '×',
        ),
      );
      if (node) node.replaceWith(next);
      else shadowRoot.append(next);
      node = next;
      return undefined;
    },
    remove,
  };
}
