// Focus handling for the panel dialog: trap Tab inside, Escape closes.

const FOCUSABLE =
  'button:not([disabled]), a[href], input:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** The element that really has focus, looking through shadow roots. */
export function deepActiveElement(root = document) {
  let active = root.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/** Keydown handler for the dialog node. */
export function dialogKeydown(dialog, shadowRoot, onEscape) {
  return (event) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      onEscape();
      return;
    }
    if (event.key !== 'Tab') return;
    const focusable = [...dialog.querySelectorAll(FOCUSABLE)].filter(
      (node) => node.getClientRects().length > 0,
    );
    if (!focusable.length) return;
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    const active = shadowRoot.activeElement;
    const inside = active && dialog.contains(active);
    if (event.shiftKey && (!inside || active === first || active.id === 'loyalty-title')) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (!inside || active === last)) {
      event.preventDefault();
      first.focus();
    }
  };
}
