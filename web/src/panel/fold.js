// Small phones: the header folds to its title and balance once the shopper scrolls the panel,
// so the list gets the room (panel.css shows the fold only below 480 px wide).
const FOLD_BELOW = 64; // px scrolled before the header folds
const UNFOLD_ABOVE = 8; // px scrolled below which it unfolds: apart, so its own height change can't flip it
const ROOM_NEEDED = 240; // a list shorter than this past the fold never folds (it would bounce)

/** A scroll listener for `panel` that sets or clears its data-folded attribute. */
export function foldHeaderOnScroll(panel) {
  return () => {
    const scrolled = panel.scrollTop;
    if (panel.hasAttribute('data-folded')) {
      if (scrolled < UNFOLD_ABOVE) panel.removeAttribute('data-folded');
    } else if (
      scrolled > FOLD_BELOW &&
      panel.scrollHeight - panel.clientHeight > FOLD_BELOW + ROOM_NEEDED
    ) {
      panel.setAttribute('data-folded', '');
    }
  };
}
