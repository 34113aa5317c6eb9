// What the panel says about loading and failures: the skeleton while the first view loads, and
// one notice at a time (still trying, failed, signed out), pinned under the header.
import { h, safeUrl } from './dom.js';
import { errorKey } from './errors.js';

/** The failure in the shopper's words: one sentence. */
function failureText(failure, fmt) {
  return fmt.t(errorKey(failure.kind), { status: { number: failure.status ?? 0 } });
}

/**
 * The core's details (JSON paths and problems, in English) for whoever wrote the documents: shown
 * where the page gave them (a merchant's preview); a shopper gets only the sentence in their
 * language, and loyalty:error and diagnostics carry the details.
 */
function details(failure, ui) {
  return failure.details?.length > 0 && ui.showsDetails()
    ? h(
        'ul',
        { class: 'details', lang: 'en', dir: 'ltr' },
        failure.details.map((text) => h('li', null, text)),
      )
    : null;
}

function retryButton(fmt, ui) {
  return h(
    'button',
    { type: 'button', part: 'retry', 'data-key': 'retry', onclick: ui.retry },
    fmt.t('error.retry'),
  );
}

function signInLink(fmt, ui) {
  const url = safeUrl(ui.signInUrl());
  return url
    ? h(
        'a',
        { class: 'button', part: 'sign-in', href: url, 'data-key': 'notice-sign-in' },
        fmt.t('guest.signIn'),
      )
    : null;
}

/**
 * The one notice the state calls for, or null: signed out (a refused token), the last view kept
 * after a failure, or still trying while a slow load goes on.
 */
export function statusNotice(state, fmt, ui) {
  const { view, failure, signedOut, retrying, loading } = state;
  if (view && signedOut && failure) {
    return h(
      'div',
      { part: 'notice signed-out', class: 'pinned-notice' },
      h('p', { role: 'alert', part: 'error' }, failureText(failure, fmt)),
      h('div', { class: 'actions' }, signInLink(fmt, ui)),
    );
  }
  if (view && failure) {
    return h(
      'div',
      { part: 'notice stale', class: 'pinned-notice' },
      h(
        'div',
        { role: 'alert', part: 'error' },
        h('p', null, h('strong', null, fmt.t('notice.savedData')), ' ', failureText(failure, fmt)),
        details(failure, ui),
      ),
      retryButton(fmt, ui),
    );
  }
  if (loading && retrying && !failure) {
    return h(
      'div',
      { part: 'notice retrying', class: 'pinned-notice' },
      h('p', { role: 'status' }, fmt.t('notice.retrying')),
    );
  }
  return null;
}

/** The panel before its first view: the failure with a retry, or the loading skeleton. */
export function firstLoadBody(state, fmt, ui) {
  if (state.failure) {
    return h(
      'section',
      { part: 'section error' },
      h(
        'div',
        { role: 'alert', part: 'error', class: 'error-block' },
        h('p', null, failureText(state.failure, fmt)),
        details(state.failure, ui),
      ),
      retryButton(fmt, ui),
    );
  }
  // The panel's shape (balance, two reward cards) in grey, for eyes; one sentence for the rest.
  const bone = (kind) => h('div', { class: `bone ${kind}` });
  const card = () => h('div', { class: 'card bone-card' }, bone('line'), bone('line short'));
  return h(
    'section',
    { part: 'skeleton', class: 'skeleton' },
    h('p', { role: 'status', class: 'visually-hidden' }, fmt.t('panel.loading')),
    h(
      'div',
      { 'aria-hidden': 'true' },
      bone('line short'),
      bone('balance'),
      bone('meter'),
      card(),
      card(),
    ),
  );
}
