// The shop's own interface text in the four demo locales. The launcher brings its own catalogs;
// these strings are only the storefront around it.
export const locales = [
  { tag: 'en', label: 'English' },
  { tag: 'zh-Hant', label: '繁體中文' },
  { tag: 'zh-Hans', label: '简体中文' },
  { tag: 'lv', label: 'Latviešu' },
];

const messages = {
  en: {
    'product.earn': 'Members earn points on every order. See how',
    'cart.coupon': 'Coupon',
    'cart.gift': 'Gift',
    'toast.coupon': 'Coupon {code} is in your cart.',
    'cart.rewardsLink': 'See what your points can buy',
    'nav.skip': 'Skip to content',
    'nav.shop': 'Shop',
    'nav.cart': 'Cart',
    'nav.signedInAs': 'Signed in as',
    'nav.language': 'Language',
    'hero.title': 'Slow mornings, well made.',
    'hero.text':
      'Small-batch goods for the kitchen and the sofa. Members earn points on every order.',
    'hero.cta': 'Browse the shop',
    'grid.title': 'New this season',
    'product.add': 'Add to cart',
    'product.added': 'Added to your cart',
    'product.back': 'Back to the shop',
    'product.notFound': 'This product is no longer available.',
    'product.shipping': 'Free shipping on orders over {amount}.',
    'cart.title': 'Your cart',
    'cart.empty': 'Your cart is empty.',
    'cart.quantity': 'Quantity',
    'cart.remove': 'Remove',
    'cart.subtotal': 'Subtotal',
    'cart.shipping': 'Shipping',
    'cart.free': 'Free',
    'cart.total': 'Total',
    'cart.placeOrder': 'Place order',
    'cart.placing': 'Placing your order…',
    'cart.placed': 'Thank you! Order {order} is confirmed.',
    'cart.placedPoints': 'Thank you! Order {order} earned you {points} points.',
    'cart.guestNote': 'Sign in to earn points on this order.',
    'cart.failed': 'The order could not be placed: {reason}',
    'persona.label': 'Customer',
    'persona.guest': 'Guest (signed out)',
    'persona.new': 'New member',
    'persona.near': 'Near a reward',
    'persona.vip': 'VIP',
    'persona.expiring': 'Points expiring soon',
    'footer.demo': 'A demo shop. Nothing is for sale and no order is shipped.',
    'footer.preview': 'Merchant preview',
  },
  'zh-Hant': {
    'product.earn': '會員每筆訂單都能賺取點數。了解方式',
    'cart.coupon': '優惠券',
    'cart.gift': '贈品',
    'toast.coupon': '優惠券 {code} 已加入購物車。',
    'cart.rewardsLink': '看看點數可以換什麼',
    'nav.skip': '跳至內容',
    'nav.shop': '商店',
    'nav.cart': '購物車',
    'nav.signedInAs': '登入身分',
    'nav.language': '語言',
    'hero.title': '慢慢的早晨，用心的好物。',
    'hero.text': '為廚房與沙發準備的小批量好物。會員每筆訂單都能賺取點數。',
    'hero.cta': '逛逛商店',
    'grid.title': '本季新品',
    'product.add': '加入購物車',
    'product.added': '已加入購物車',
    'product.back': '返回商店',
    'product.notFound': '此商品已下架。',
    'product.shipping': '訂單滿 {amount} 免運費。',
    'cart.title': '您的購物車',
    'cart.empty': '購物車是空的。',
    'cart.quantity': '數量',
    'cart.remove': '移除',
    'cart.subtotal': '小計',
    'cart.shipping': '運費',
    'cart.free': '免費',
    'cart.total': '總計',
    'cart.placeOrder': '下訂單',
    'cart.placing': '正在下訂單…',
    'cart.placed': '謝謝！訂單 {order} 已確認。',
    'cart.placedPoints': '謝謝！訂單 {order} 為您賺取了 {points} 點。',
    'cart.guestNote': '登入即可為此訂單賺取點數。',
    'cart.failed': '無法下訂單：{reason}',
    'persona.label': '顧客',
    'persona.guest': '訪客（未登入）',
    'persona.new': '新會員',
    'persona.near': '即將兌換獎勵',
    'persona.vip': 'VIP',
    'persona.expiring': '點數即將到期',
    'footer.demo': '示範商店。商品不出售，訂單不會出貨。',
    'footer.preview': '商家預覽',
  },
  'zh-Hans': {
    'product.earn': '会员每笔订单都能赚取积分。了解方式',
    'cart.coupon': '优惠券',
    'cart.gift': '赠品',
    'toast.coupon': '优惠券 {code} 已加入购物车。',
    'cart.rewardsLink': '看看积分可以换什么',
    'nav.skip': '跳至内容',
    'nav.shop': '商店',
    'nav.cart': '购物车',
    'nav.signedInAs': '登录身份',
    'nav.language': '语言',
    'hero.title': '慢慢的早晨，用心的好物。',
    'hero.text': '为厨房与沙发准备的小批量好物。会员每笔订单都能赚取积分。',
    'hero.cta': '逛逛商店',
    'grid.title': '本季新品',
    'product.add': '加入购物车',
    'product.added': '已加入购物车',
    'product.back': '返回商店',
    'product.notFound': '此商品已下架。',
    'product.shipping': '订单满 {amount} 免运费。',
    'cart.title': '您的购物车',
    'cart.empty': '购物车是空的。',
    'cart.quantity': '数量',
    'cart.remove': '移除',
    'cart.subtotal': '小计',
    'cart.shipping': '运费',
    'cart.free': '免费',
    'cart.total': '总计',
    'cart.placeOrder': '提交订单',
    'cart.placing': '正在提交订单…',
    'cart.placed': '谢谢！订单 {order} 已确认。',
    'cart.placedPoints': '谢谢！订单 {order} 为您赚取了 {points} 积分。',
    'cart.guestNote': '登录即可为此订单赚取积分。',
    'cart.failed': '无法提交订单：{reason}',
    'persona.label': '顾客',
    'persona.guest': '访客（未登录）',
    'persona.new': '新会员',
    'persona.near': '即将兑换奖励',
    'persona.vip': 'VIP',
    'persona.expiring': '积分即将过期',
    'footer.demo': '示范商店。商品不出售，订单不会发货。',
    'footer.preview': '商家预览',
  },
  lv: {
    'product.earn': 'Biedri krāj punktus par katru pasūtījumu. Uzziniet, kā',
    'cart.coupon': 'Kupons',
    'cart.gift': 'Dāvana',
    'toast.coupon': 'Kupons {code} ir jūsu grozā.',
    'cart.rewardsLink': 'Ko var iegūt par punktiem',
    'nav.skip': 'Pāriet uz saturu',
    'nav.shop': 'Veikals',
    'nav.cart': 'Grozs',
    'nav.signedInAs': 'Pieteicies kā',
    'nav.language': 'Valoda',
    'hero.title': 'Lēni rīti, labi darināti.',
    'hero.text':
      'Nelielās partijās ražotas lietas virtuvei un dīvānam. Biedri krāj punktus par katru pasūtījumu.',
    'hero.cta': 'Apskatīt veikalu',
    'grid.title': 'Šīs sezonas jaunumi',
    'product.add': 'Pievienot grozam',
    'product.added': 'Pievienots grozam',
    'product.back': 'Atpakaļ uz veikalu',
    'product.notFound': 'Šī prece vairs nav pieejama.',
    'product.shipping': 'Bezmaksas piegāde pasūtījumiem virs {amount}.',
    'cart.title': 'Jūsu grozs',
    'cart.empty': 'Jūsu grozs ir tukšs.',
    'cart.quantity': 'Daudzums',
    'cart.remove': 'Noņemt',
    'cart.subtotal': 'Starpsumma',
    'cart.shipping': 'Piegāde',
    'cart.free': 'Bez maksas',
    'cart.total': 'Kopā',
    'cart.placeOrder': 'Noformēt pasūtījumu',
    'cart.placing': 'Noformē pasūtījumu…',
    'cart.placed': 'Paldies! Pasūtījums {order} ir apstiprināts.',
    'cart.placedPoints': 'Paldies! Pasūtījums {order} jums nopelnīja {points} punktus.',
    'cart.guestNote': 'Piesakieties, lai par šo pasūtījumu krātu punktus.',
    'cart.failed': 'Pasūtījumu neizdevās noformēt: {reason}',
    'persona.label': 'Klients',
    'persona.guest': 'Viesis (nav pieteicies)',
    'persona.new': 'Jauns biedrs',
    'persona.near': 'Tuvu balvai',
    'persona.vip': 'VIP',
    'persona.expiring': 'Punkti drīz beigsies',
    'footer.demo': 'Demonstrācijas veikals. Nekas netiek pārdots vai piegādāts.',
    'footer.preview': 'Tirgotāja priekšskatījums',
  },
};

const storageKey = 'demo-shop-locale';

export function currentLocale() {
  const stored = localStorage.getItem(storageKey);
  return locales.some((locale) => locale.tag === stored) ? stored : 'en';
}

export function setLocale(tag) {
  localStorage.setItem(storageKey, tag);
}

/** The message for `key` in the current locale with `{name}` placeholders filled in. */
export function t(key, params = {}) {
  const table = messages[currentLocale()] ?? messages.en;
  const template = table[key] ?? messages.en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name) =>
    name in params ? String(params[name]) : whole,
  );
}

/** Merchant text: a string or an object of translations keyed by BCP 47 tag. */
export function pick(text) {
  if (typeof text === 'string') return text;
  const tag = currentLocale();
  return text[tag] ?? text[tag.split('-')[0]] ?? text.en ?? Object.values(text)[0] ?? '';
}

export function formatMoney(minorUnits, currency) {
  const format = new Intl.NumberFormat(currentLocale(), { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits;
  return format.format(minorUnits / 10 ** digits);
}

/** Fills every element marked data-i18n="key" with its text. */
export function translatePage(root = document) {
  document.documentElement.lang = currentLocale();
  for (const element of root.querySelectorAll('[data-i18n]')) {
    element.textContent = t(element.dataset.i18n);
  }
}
