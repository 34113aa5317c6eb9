// The merchant's live preview: edit the program in a form or as JSON, see the launcher change on
// every keystroke (the wasm core runs in this page: no server round trip), publish when happy.
import { currencyDigits } from './form-fields.js';
import { createProgramForm } from './program-form.js';
import { frameLauncher, loadCoreModule, personas, previewConfig, sampleCart } from './sources.js';

const $ = (id) => document.getElementById(id);

const state = {
  program: null,
  customers: new Map(), // persona key → customer document
  core: null,
  launcher: null,
  lastValid: null,
};

function prettyJson(value) {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** "Unexpected token } in JSON at position 41" → the line and column a merchant can find. */
function syntaxError(text, error) {
  const match = /position (\d+)/.exec(error.message);
  if (!match) return error.message;
  const before = text.slice(0, Number(match[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${error.message.replace(/ in JSON at position \d+.*$/, '')} (line ${line}, column ${column})`;
}

function showProblems(errors, warnings) {
  const list = $('errors');
  list.replaceChildren(
    ...errors.map((problem) => problemItem(problem, 'error')),
    ...warnings.map((problem) => problemItem(problem, 'warning')),
  );
  markFields(errors);
  const validity = $('validity');
  validity.className = `validity ${errors.length ? 'invalid' : 'valid'}`;
  validity.textContent = errors.length
    ? `${errors.length} ${errors.length === 1 ? 'problem' : 'problems'}`
    : 'Valid';
}

function problemItem(problem, kind) {
  const item = document.createElement('li');
  item.className = kind;
  const path = document.createElement('code');
  path.textContent = problem.path || '/';
  const message = document.createElement('span');
  message.textContent = problem.message;
  const show = document.createElement('button');
  show.type = 'button';
  show.className = 'show';
  show.textContent = 'Show';
  show.setAttribute('aria-label', `Show ${problem.path || 'the document'} in the editor`);
  show.addEventListener('click', () => revealPath(problem.path ?? ''));
  item.append(path, message, show);
  return item;
}

/**
 * Where a JSON Pointer's member starts in JSON text (its key, or the array element), found by
 * walking the text once; 0 when the text does not parse that far.
 */
function offsetOf(text, pointer) {
  let i = 0;
  let found = -1;
  const skipSpace = () => {
    while (/\s/.test(text[i] ?? '')) i += 1;
  };
  const readString = () => {
    const start = i;
    i += 1;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i += 1;
    return JSON.parse(text.slice(start, i));
  };
  const readValue = (path) => {
    skipSpace();
    if (path === pointer && found < 0) found = i;
    if (text[i] === '{' || text[i] === '[') {
      const isObject = text[i] === '{';
      const close = isObject ? '}' : ']';
      i += 1;
      skipSpace();
      for (let index = 0; i < text.length && text[i] !== close; index += 1) {
        let childPath = `${path}/${index}`;
        if (isObject) {
          const keyStart = i;
          const key = readString();
          childPath = `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
          if (childPath === pointer && found < 0) found = keyStart;
          skipSpace();
          i += 1; // the colon
        }
        readValue(childPath);
        skipSpace();
        if (text[i] === ',') i += 1;
        skipSpace();
      }
      i += 1;
    } else if (text[i] === '"') {
      readString();
    } else {
      while (i < text.length && !/[\s,\]}]/.test(text[i])) i += 1;
    }
  };
  try {
    readValue('');
  } catch {
    return 0;
  }
  return Math.max(found, 0);
}

/** Shows a problem's place in the JSON editor, with the cursor on its line. */
function revealPath(pointer) {
  setTab(true);
  const editor = $('json');
  const at = offsetOf(editor.value, pointer);
  const lineEnd = editor.value.indexOf('\n', at);
  editor.focus();
  editor.setSelectionRange(at, lineEnd < 0 ? editor.value.length : lineEnd);
}

/** Puts each error under the form field whose JSON path is the longest prefix of the error's. */
function markFields(errors) {
  const form = $('panel-settings');
  for (const old of form.querySelectorAll('.field-error')) old.remove();
  // A field the form itself found a problem in (data-form-invalid) stays marked until fixed.
  for (const marked of form.querySelectorAll('[aria-invalid]:not([data-form-invalid])'))
    marked.removeAttribute('aria-invalid');
  const fields = [...form.querySelectorAll('[data-path]')].filter(
    (field) => !field.closest('[hidden]'),
  );
  for (const error of errors) {
    const path = error.path ?? '';
    let best = null;
    for (const field of fields) {
      const fieldPath = field.dataset.path;
      const matches = path === fieldPath || path.startsWith(`${fieldPath}/`);
      if (matches && (!best || fieldPath.length > best.dataset.path.length)) best = field;
    }
    if (!best) continue;
    if (best.matches('input, select, textarea')) best.setAttribute('aria-invalid', 'true');
    const note = document.createElement('p');
    note.className = 'field-error';
    note.textContent = error.message;
    const anchor = best.closest('label, .item') ?? best;
    anchor.after(note);
  }
}

/** Validates with the wasm core and, when valid, hands the program to the launcher. */
function evaluate(text) {
  let program;
  try {
    program = JSON.parse(text);
  } catch (error) {
    showProblems([{ path: '', message: `Not valid JSON: ${syntaxError(text, error)}` }], []);
    return null;
  }
  const result = JSON.parse(state.core.validateProgramJson(text));
  showProblems(result.errors ?? [], result.warnings ?? []);
  if (result.ok) {
    state.lastValid = program;
    updateLauncher();
  }
  $('order-example').textContent = result.ok ? roundingExample(text, program) : '';
  return program;
}

/** Minor units as money in English, as the editor's own texts are. */
function formatMoney(minor, currency) {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).format(
    minor / 10 ** currencyDigits(currency),
  );
}

const ROUNDING_WORDS = {
  proportional: 'points in proportion, rounded down',
  whole_steps: 'only each full step earns',
  half_up: 'points in proportion, rounded to the nearest point (halves up)',
};

/**
 * What the order rule's rounding does to a sample order three quarters into a step, in plain
 * words, computed by the core itself (a customer with no ledger, so no tier bonus).
 */
function roundingExample(text, program) {
  const rule = (program.earning ?? []).find(
    (candidate) => candidate?.type === 'order' && candidate.enabled !== false,
  );
  if (!rule || !Number.isInteger(rule.per)) return '';
  const steps = Math.max(1, Math.ceil((rule.minOrder ?? 0) / rule.per));
  const amount = steps * rule.per + Math.round((rule.per * 3) / 4);
  const customer = JSON.stringify({ version: 1, id: 'rounding-example', ledger: [] });
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const context = JSON.stringify({ version: 1, now, locale: 'en' });
  const event = JSON.stringify({ type: 'order', amounts: { subtotal: amount } });
  const answer = JSON.parse(state.core.earnJson(text, customer, context, event));
  if (!answer.ok) return '';
  const money = (minor) => formatMoney(minor, program.currency);
  const words = ROUNDING_WORDS[rule.rounding ?? 'proportional'] ?? '';
  return `Example: a ${money(amount)} order earns ${answer.earn.base} points before tier and promotion bonuses (${words}).`;
}

/** "sku-mug (kitchen) $24.00 · 2 × sku-candle (candles) $32.00 · …": the sample cart's lines. */
function cartNote(currency) {
  const money = (minor) => formatMoney(minor, currency);
  const lines = sampleCart.items.map((item) => {
    const quantity = item.quantity > 1 ? `${item.quantity} × ` : '';
    const sort = item.kind === 'gift_card' ? 'gift card ' : '';
    const collections = item.collections ? ` (${item.collections.join(', ')})` : '';
    return `${quantity}${sort}${item.productId}${collections} ${money(item.price)}`;
  });
  lines.push(`shipping ${money(sampleCart.amounts.shipping)}`);
  return `In the cart: ${lines.join(' · ')}`;
}

function updateLauncher() {
  if (!state.launcher || !state.lastValid) return;
  const persona = $('persona').value;
  const currency = state.lastValid.currency;
  const cart = $('cart').value === 'sample';
  state.launcher.locale = $('locale').value;
  state.launcher.program = state.lastValid;
  state.launcher.customer = state.customers.get(persona);
  // The cart is in the program's currency, so a change of currency keeps its preview.
  state.launcher.context = cart ? { cart: { currency, ...sampleCart } } : null;
  $('cart-note').textContent = cart ? cartNote(currency) : '';
  $('program-name').textContent =
    typeof state.lastValid.name === 'string'
      ? state.lastValid.name
      : (state.lastValid.name?.en ?? '');
}

function setDevice(mobile) {
  $('frame').className = `frame ${mobile ? 'mobile' : 'desktop'}`;
  $('device-desktop').setAttribute('aria-pressed', String(!mobile));
  $('device-mobile').setAttribute('aria-pressed', String(mobile));
}

function setTab(json) {
  $('panel-settings').hidden = json;
  $('panel-json').hidden = !json;
  $('tab-settings').setAttribute('aria-selected', String(!json));
  $('tab-json').setAttribute('aria-selected', String(json));
}

async function publish() {
  const status = $('publish-status');
  const button = $('publish');
  button.disabled = true;
  status.className = 'publish-status';
  status.textContent = 'Publishing…';
  try {
    const { adminKey } = await previewConfig();
    const response = await fetch('/v1/admin/program', {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', 'X-Admin-Key': adminKey },
      body: $('json').value,
    });
    const body = await response.json().catch(() => ({}));
    if (response.ok) {
      status.className = 'publish-status success';
      status.textContent = `Published as version ${body.version}`;
    } else {
      // The backend validates again with the same core; its errors name the same paths.
      const errors = body.error?.errors ?? (body.error ? [body.error] : []);
      if (errors.length) showProblems(errors, body.error?.warnings ?? []);
      status.className = 'publish-status error';
      status.textContent = `Not published (HTTP ${response.status}): ${body.error?.message ?? response.statusText}`;
      status.title = status.textContent;
    }
  } catch (error) {
    status.className = 'publish-status error';
    status.textContent = `Not published: ${error.message}`;
  } finally {
    button.disabled = false;
  }
}

async function start() {
  const [core, program, customers] = await Promise.all([
    loadCoreModule(),
    fetch('/v1/program').then((response) => {
      if (!response.ok) throw new Error(`GET /v1/program: HTTP ${response.status}`);
      return response.json();
    }),
    Promise.all(personas.map(async (persona) => [persona.key, await persona.load()])),
  ]);
  state.core = core;
  state.customers = new Map(customers);
  for (const persona of personas) {
    const option = document.createElement('option');
    option.value = persona.key;
    option.textContent = persona.label;
    $('persona').append(option);
  }
  $('persona').value = 'near';

  const json = $('json');
  const form = createProgramForm($('panel-settings'), (edited) => {
    json.value = prettyJson(edited);
    evaluate(json.value);
  });
  json.value = prettyJson(program);
  form.render(structuredClone(program));
  json.addEventListener('input', () => {
    const parsed = evaluate(json.value);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) form.render(parsed);
  });

  state.launcher = await frameLauncher($('frame'));
  evaluate(json.value);

  $('persona').addEventListener('change', updateLauncher);
  $('cart').addEventListener('change', updateLauncher);
  // One language at a time: the form edits the texts the preview shows.
  $('locale').addEventListener('change', () => {
    $('text-language').value = $('locale').value;
    $('text-language').dispatchEvent(new Event('change', { bubbles: true }));
    updateLauncher();
  });
  $('text-language').addEventListener('change', () => {
    if ($('locale').value === $('text-language').value) return;
    $('locale').value = $('text-language').value;
    updateLauncher();
  });
  $('device-desktop').addEventListener('click', () => setDevice(false));
  $('device-mobile').addEventListener('click', () => setDevice(true));
  $('tab-settings').addEventListener('click', () => setTab(false));
  $('tab-json').addEventListener('click', () => setTab(true));
  $('publish').addEventListener('click', publish);
  document.body.dataset.ready = 'true';
}

start().catch((error) => {
  $('validity').className = 'validity invalid';
  $('validity').textContent = `The preview could not start: ${error.message}`;
  console.error(error);
});
