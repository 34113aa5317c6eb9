// A tiny element builder. Strings always become text nodes: data never reaches innerHTML.

/**
 * h('button', {type: 'button', part: 'redeem', onclick: fn}, 'Redeem')
 * Attribute values of null/undefined/false are skipped; `on*` keys add listeners.
 */
export function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (name.startsWith('on') && typeof value === 'function') {
        node.addEventListener(name.slice(2), value);
      } else if (name === 'text') {
        node.textContent = String(value);
      } else {
        node.setAttribute(name, value === true ? '' : String(value));
      }
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else if (typeof child === 'object' && 'nodeType' in child) node.append(child);
    else node.append(document.createTextNode(String(child)));
  }
}

/** Only http(s) and mailto links from the view are ever opened. */
export function safeUrl(url) {
  if (typeof url !== 'string') return null;
  try {
    const parsed = new URL(url, document.baseURI);
    return ['http:', 'https:', 'mailto:'].includes(parsed.protocol) ? parsed.href : null;
  } catch {
    return null;
  }
}
