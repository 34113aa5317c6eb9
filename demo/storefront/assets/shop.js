// The storefront's pages: header controls on every page, then the grid, product or cart view
// chosen by <body data-page>.
import { placeOrder } from './demo-backend.js';
import { currency, findProduct, products } from './catalog.js';
import {
  addToCart,
  applyCoupon,
  cartAmounts,
  cartContext,
  clearCart,
  freeShippingFrom,
  itemCount,
  readCart,
  readCoupon,
  removeCoupon,
  setQuantity,
} from './cart.js';
import { formatMoney, locales, currentLocale, pick, setLocale, t, translatePage } from './i18n.js';
import { currentPersona, embedLauncher, launcherElement, personas, signIn } from './session.js';

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === 'class') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

function artImage(product, size) {
  return el('img', {
    src: `/assets/art/${product.art}.svg`,
    alt: '',
    width: String(size),
    height: String(size),
    class: 'art',
  });
}

function setupHeader() {
  const personaSelect = document.getElementById('persona-select');
  for (const persona of personas) {
    const option = el('option', { value: persona.key }, t(persona.labelKey));
    option.selected = persona.key === currentPersona().key;
    personaSelect.append(option);
  }
  // Signing in or out reloads the page, as on a real shop: the server renders the new token.
  personaSelect.addEventListener('change', () => {
    signIn(personaSelect.value);
    location.reload();
  });

  const localeSelect = document.getElementById('locale-select');
  for (const locale of locales) {
    const option = el('option', { value: locale.tag, lang: locale.tag }, locale.label);
    option.selected = locale.tag === currentLocale();
    localeSelect.append(option);
  }
  localeSelect.addEventListener('change', () => {
    setLocale(localeSelect.value);
    location.reload();
  });

  const count = document.getElementById('cart-count');
  const showCount = () => {
    count.textContent = String(itemCount());
  };
  showCount();
  document.addEventListener('demo-shop:cart-changed', showCount);
}

function productCard(product) {
  const href = `/product.html?id=${encodeURIComponent(product.id)}`;
  return el(
    'li',
    { class: 'card' },
    el(
      'a',
      { href, class: 'card-art', tabindex: '-1', 'aria-hidden': 'true' },
      artImage(product, 160),
    ),
    el(
      'div',
      { class: 'card-body' },
      el('h3', {}, el('a', { href }, pick(product.name))),
      el('p', { class: 'price' }, formatMoney(product.price, currency)),
      el(
        'button',
        {
          type: 'button',
          class: 'button secondary',
          'data-product': product.id,
          onclick: () => addToCart(product.id),
        },
        t('product.add'),
      ),
    ),
  );
}

function renderGrid() {
  document.getElementById('product-grid').replaceChildren(...products.map(productCard));
}

function renderProduct() {
  const main = document.getElementById('product');
  const product = findProduct(new URLSearchParams(location.search).get('id'));
  if (!product) {
    main.replaceChildren(
      el('p', {}, t('product.notFound')),
      el('a', { href: '/', class: 'button' }, t('product.back')),
    );
    return;
  }
  document.title = `${pick(product.name)} — Maple & Co`;
  const status = el('p', { class: 'status', role: 'status' });
  const quantity = el('input', {
    type: 'number',
    min: '1',
    max: '20',
    value: '1',
    id: 'quantity',
    inputmode: 'numeric',
  });
  main.replaceChildren(
    el('a', { href: '/', class: 'back' }, `← ${t('product.back')}`),
    el(
      'div',
      { class: 'product-layout' },
      el('div', { class: 'product-art' }, artImage(product, 320)),
      el(
        'div',
        { class: 'product-info' },
        el('h1', {}, pick(product.name)),
        el('p', { class: 'price large' }, formatMoney(product.price, currency)),
        el('p', { class: 'blurb' }, pick(product.blurb)),
        el(
          'div',
          { class: 'buy-row' },
          el('label', { for: 'quantity', class: 'visually-hidden' }, t('cart.quantity')),
          quantity,
          el(
            'button',
            {
              type: 'button',
              class: 'button',
              id: 'add-to-cart',
              onclick: () => {
                addToCart(product.id, Math.max(1, Math.min(20, Number(quantity.value) || 1)));
                status.textContent = t('product.added');
              },
            },
            t('product.add'),
          ),
        ),
        status,
        el(
          'p',
          { class: 'note' },
          t('product.shipping', { amount: formatMoney(freeShippingFrom, currency) }),
        ),
        // The launcher opens from any element with data-loyalty-open (here: ways to earn).
        el(
          'button',
          { type: 'button', class: 'link earn-link', 'data-loyalty-open': 'earn' },
          t('product.earn'),
        ),
      ),
    ),
  );
}

function summaryRow(labelKey, value, extraClass = '') {
  return el(
    'div',
    { class: `summary-row ${extraClass}` },
    el('dt', {}, t(labelKey)),
    el('dd', {}, value),
  );
}

/** The coupon line: its code, what it takes off (or the gift), and a way to remove it. */
function couponRow(coupon, amounts) {
  const value =
    coupon.kind === 'gift'
      ? t('cart.gift')
      : amounts.discount > 0
        ? `−${formatMoney(amounts.discount, currency)}`
        : t('cart.free');
  return el(
    'div',
    { class: 'summary-row coupon', id: 'cart-coupon' },
    el(
      'dt',
      {},
      t('cart.coupon'),
      ' ',
      el('code', {}, coupon.code),
      ' ',
      el('button', { type: 'button', class: 'link', onclick: removeCoupon }, t('cart.remove')),
    ),
    el('dd', {}, value),
  );
}

function renderCart() {
  const list = document.getElementById('cart-lines');
  const summary = document.getElementById('cart-summary');
  const lines = readCart();
  const amounts = cartAmounts(lines);
  launcherCart(lines);

  if (lines.length === 0) {
    list.replaceChildren(el('p', { class: 'empty' }, t('cart.empty')));
  } else {
    list.replaceChildren(
      ...lines.map((line) => {
        const product = findProduct(line.productId);
        const quantity = el('input', {
          type: 'number',
          min: '0',
          max: '20',
          value: String(line.quantity),
          'aria-label': `${t('cart.quantity')}: ${pick(product.name)}`,
        });
        quantity.addEventListener('change', () =>
          setQuantity(product.id, Math.max(0, Math.min(20, Number(quantity.value) || 0))),
        );
        return el(
          'li',
          { class: 'cart-line' },
          artImage(product, 72),
          el(
            'div',
            { class: 'line-name' },
            el(
              'a',
              { href: `/product.html?id=${encodeURIComponent(product.id)}` },
              pick(product.name),
            ),
            el('span', { class: 'unit' }, formatMoney(product.price, currency)),
          ),
          quantity,
          el('span', { class: 'line-total' }, formatMoney(product.price * line.quantity, currency)),
          el(
            'button',
            { type: 'button', class: 'link', onclick: () => setQuantity(product.id, 0) },
            t('cart.remove'),
          ),
        );
      }),
    );
  }

  const total = amounts.subtotal - amounts.discount + amounts.shipping + amounts.tax;
  document.getElementById('place-order').disabled = lines.length === 0;
  const coupon = readCoupon();
  const rows = [
    summaryRow('cart.subtotal', formatMoney(amounts.subtotal, currency)),
    coupon ? couponRow(coupon, amounts) : null,
    summaryRow(
      'cart.shipping',
      amounts.shipping === 0 ? t('cart.free') : formatMoney(amounts.shipping, currency),
    ),
    summaryRow('cart.total', formatMoney(total, currency), 'total'),
  ];
  summary.replaceChildren(...rows.filter(Boolean));
  document.getElementById('guest-note').hidden = Boolean(currentPersona().customerId);
}

/** Tells the launcher what is in the cart, for its "this order earns" line. */
function launcherCart(lines) {
  const launcher = launcherElement();
  // Merged into the core's context document: the panel previews this cart's points.
  if (launcher) launcher.context = { cart: cartContext(currency, lines) };
}

async function submitOrder() {
  const status = document.getElementById('order-status');
  const button = document.getElementById('place-order');
  const lines = readCart();
  if (lines.length === 0) return;
  button.disabled = true;
  status.className = 'status';
  status.textContent = t('cart.placing');
  const orderId = `D${Date.now().toString(36).toUpperCase()}`;
  try {
    const { customerId } = currentPersona();
    let points = null;
    if (customerId) {
      const result = await placeOrder({
        customerId,
        orderId,
        amounts: cartAmounts(lines),
      });
      points = result.points ?? null;
    }
    clearCart();
    status.className = 'status success';
    status.textContent =
      points === null
        ? t('cart.placed', { order: orderId })
        : t('cart.placedPoints', { order: orderId, points });
    await launcherElement()?.refresh?.();
  } catch (error) {
    status.className = 'status error';
    status.textContent = t('cart.failed', { reason: error.message });
    button.disabled = false;
  }
}

function setupCart() {
  renderCart();
  document.addEventListener('demo-shop:cart-changed', renderCart);
  document.getElementById('place-order').addEventListener('click', submitOrder);
  // The launcher arrives asynchronously; give it the cart once it is defined.
  customElements.whenDefined('loyalty-launcher').then(() => launcherCart(readCart()));
}

let programPromise = null;

/**
 * A reward redeemed in the launcher becomes a coupon in this shop's cart (the launcher's
 * `loyalty:redeem` event). The reward's type comes from the published program.
 */
async function couponFromRedemption(event) {
  const redemption = event.detail?.redemption;
  if (!redemption?.code) return;
  programPromise ??= fetch('/v1/program').then((response) => response.json());
  const reward = (await programPromise).rewards?.find((entry) => entry.id === redemption.rewardId);
  const coupon = { code: redemption.code, kind: 'gift' };
  if (reward?.type === 'percent_off')
    Object.assign(coupon, { kind: 'percent', percent: redemption.percent });
  else if (reward?.type === 'free_shipping')
    Object.assign(coupon, { kind: 'shipping', amount: redemption.value?.money });
  else if (redemption.value?.money > 0)
    Object.assign(coupon, { kind: 'amount', amount: redemption.value.money });
  applyCoupon(coupon);
  showToast(t('toast.coupon', { code: redemption.code }));
}

// A live region exists before its first message, so screen readers announce that message.
const toast = el('div', { id: 'toast', class: 'toast', role: 'status' });
document.body.append(toast);

function showToast(message) {
  toast.textContent = message;
  toast.classList.add('visible');
  clearTimeout(showToast.timer);
  showToast.timer = setTimeout(() => toast.classList.remove('visible'), 5000);
}

/** The launcher's guest links: #join signs up as the new member, #sign-in opens the menu. */
function followAccountLinks() {
  if (location.hash === '#join') {
    signIn('new');
    history.replaceState(null, '', location.pathname + location.search);
    location.reload();
  } else if (location.hash === '#sign-in') {
    history.replaceState(null, '', location.pathname + location.search);
    launcherElement()?.close?.();
    const select = document.getElementById('persona-select');
    select.focus();
    select.classList.add('attention');
    setTimeout(() => select.classList.remove('attention'), 2000);
  }
}

translatePage();
setupHeader();
followAccountLinks();
window.addEventListener('hashchange', followAccountLinks);
document.addEventListener('loyalty:redeem', couponFromRedemption);
const page = document.body.dataset.page;
if (page === 'grid') renderGrid();
else if (page === 'product') renderProduct();
else if (page === 'cart') setupCart();
embedLauncher();
