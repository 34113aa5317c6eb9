// Host-page probe (an external file, so it runs under the strict CSP): records the launcher's
// events, CSP violations and uncaught errors for the tests to read.
window.__loyalty = { events: [], violations: [], errors: [] };
for (const name of ['ready', 'open', 'close', 'redeem', 'share', 'error']) {
  document.addEventListener(`loyalty:${name}`, (event) => {
    window.__loyalty.events.push({
      type: event.type,
      detail: event.detail,
      composed: event.composed,
    });
  });
}
document.addEventListener('securitypolicyviolation', (event) => {
  window.__loyalty.violations.push({
    directive: event.violatedDirective,
    blocked: event.blockedURI,
  });
});
window.addEventListener('error', (event) => window.__loyalty.errors.push(String(event.message)));
window.addEventListener('unhandledrejection', (event) =>
  window.__loyalty.errors.push(String(event.reason)),
);
