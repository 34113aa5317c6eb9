// Who is signed in, and the launcher's one script tag.
//
// A real shop renders the launcher tag on its server with a token it signs itself (see the demo
// README's Liquid example). This static demo shop signs in with the demo backend's
// POST /demo/session (demo-backend.js) and then writes the same single tag.
import { shopperTokenFor } from './demo-backend.js';
import { currentLocale, pick } from './i18n.js';
import { personas } from './personas.js';

export { personas };

const personaKey = 'demo-shop-persona';

export function currentPersona() {
  const stored = localStorage.getItem(personaKey);
  return personas.find((persona) => persona.key === stored) ?? personas[0];
}

export function signIn(key) {
  localStorage.setItem(personaKey, key);
}

/** A shopper token for the signed-in persona, or null for a guest. */
export async function shopperToken() {
  const persona = currentPersona();
  return persona.customerId ? shopperTokenFor(persona.customerId) : null;
}

/**
 * The program's button label in the shop's language. A real shop's template has it at hand (a
 * theme setting); this static demo reads the published program.
 */
async function launcherLabel() {
  try {
    const response = await fetch('/v1/program');
    const label = response.ok ? (await response.json()).branding?.launcherLabel : null;
    return label ? pick(label) : '';
  } catch {
    return '';
  }
}

/** Writes the launcher's single script tag, as a shop's server-side template would. */
export async function embedLauncher() {
  const persona = currentPersona();
  let token = null;
  const label = launcherLabel();
  try {
    token = await shopperToken();
  } catch (error) {
    console.warn('demo shop: signed out, because', error.message);
  }
  const script = document.createElement('script');
  script.src = '/web/loyalty-launcher.js';
  script.async = true;
  script.dataset.api = location.origin;
  script.dataset.locale = currentLocale();
  // The button's text from its first paint, so it never changes width when the program loads.
  const text = await label;
  if (text) script.dataset.label = text;
  // The guest panel's "Join" and "Sign in" links come back to this shop's header menu.
  script.dataset.joinUrl = '/#join';
  script.dataset.signInUrl = '/#sign-in';
  if (persona.customerId && token) {
    script.dataset.customerId = persona.customerId;
    script.dataset.customerToken = token;
  }
  document.body.append(script);
}

/** The launcher element, once the loader has put it on the page. */
export function launcherElement() {
  return document.querySelector('loyalty-launcher');
}
