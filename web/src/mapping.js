// Reads another backend's JSON shape into the contract's documents with JSON Pointers (RFC 6901).
//
// mapping = {
//   "paths":    {"program": "/loyalty/program", "customer": "/me/loyalty"},   // optional URLs
//   "program":  {"": "/data"},                                                // "" = start from
//   "customer": {"summary/balance": "/customer/points_balance",
//                "version": {"value": 1}}
// }
// Keys are pointers into our document (leading "/" optional), values are pointers into the
// backend's answer, or {"value": constant}. Missing source values are left out, so the core
// reports them with their path.

/** The deepest nesting of objects and arrays accepted, as in the core and the backend. */
export const MAX_DEPTH = 64;

const escapeToken = (token) => token.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * "<JSON Pointer>: nested deeper than 64 levels, ..." for the first object or array in `value`
 * deeper than MAX_DEPTH (the outermost is level 1), else ''. It walks with a stack of its own,
 * so any depth is safe to check before something recursive (structuredClone, JSON.stringify)
 * meets the value.
 */
export function nestingProblem(value, base = '') {
  if (value === null || typeof value !== 'object') return '';
  // Each entry knows its key and parent, so a path is spelled out only for the one reported.
  const pending = [{ node: value, key: null, parent: null, depth: 1 }];
  while (pending.length) {
    const entry = pending.pop();
    if (entry.depth > MAX_DEPTH) {
      const tokens = [];
      for (let at = entry; at.parent; at = at.parent) tokens.push(escapeToken(at.key));
      const path = tokens.length ? `${base}/${tokens.reverse().join('/')}` : base;
      return `${path}: nested deeper than ${MAX_DEPTH} levels, the most any JSON input may have`;
    }
    const keys = Object.keys(entry.node);
    // Last key pushed first, so the first deep value in document order is the one reported.
    for (let i = keys.length - 1; i >= 0; i -= 1) {
      const child = entry.node[keys[i]];
      if (child !== null && typeof child === 'object') {
        pending.push({ node: child, key: keys[i], parent: entry, depth: entry.depth + 1 });
      }
    }
  }
  return '';
}

/** A document too deep to use; `kind` and `details` as the panel's other failures have them. */
export class NestingError extends Error {
  constructor(kind, detail) {
    super(detail);
    this.name = 'NestingError';
    this.kind = kind;
    this.details = [detail];
  }
}

/** `answer` when it is no deeper than MAX_DEPTH, else throws a NestingError of `kind`. */
export function checkNesting(kind, answer) {
  const problem = nestingProblem(answer);
  if (problem) throw new NestingError(kind, problem);
  return answer;
}

function tokens(pointer) {
  if (pointer === '' || pointer === '/') return [];
  const text = pointer.startsWith('/') ? pointer.slice(1) : pointer;
  return text.split('/').map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The value at `pointer` in `doc`, or undefined. */
export function readPointer(doc, pointer) {
  let node = doc;
  for (const token of tokens(pointer)) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, token)) return undefined;
    node = node[token];
  }
  return node;
}

function writePointer(doc, pointer, value) {
  const path = tokens(pointer);
  let node = doc;
  path.forEach((token, index) => {
    if (index === path.length - 1) {
      node[token] = value;
      return;
    }
    if (node[token] === null || typeof node[token] !== 'object') {
      node[token] = /^\d+$/.test(path[index + 1]) ? [] : {};
    }
    node = node[token];
  });
}

/** Errors in a mapping object, as readable strings with their path. */
export function checkMapping(mapping) {
  const errors = [];
  if (mapping === null || typeof mapping !== 'object' || Array.isArray(mapping)) {
    return ['mapping: must be a JSON object'];
  }
  // First, as the rest assumes a mapping that is safe to walk and to copy into documents.
  const tooDeep = nestingProblem(mapping);
  if (tooDeep) return [tooDeep];
  for (const [section, rules] of Object.entries(mapping)) {
    if (section === 'paths') {
      for (const [name, path] of Object.entries(rules ?? {})) {
        if (typeof path !== 'string') errors.push(`/paths/${name}: must be a URL path string`);
      }
      continue;
    }
    if (section !== 'program' && section !== 'customer') {
      errors.push(`/${section}: unknown section (use "paths", "program" or "customer")`);
      continue;
    }
    if (rules === null || typeof rules !== 'object') {
      errors.push(`/${section}: must be an object of "target pointer": "source pointer"`);
      continue;
    }
    for (const [target, source] of Object.entries(rules)) {
      const isConstant = source !== null && typeof source === 'object' && 'value' in source;
      if (typeof source !== 'string' && !isConstant) {
        errors.push(`/${section}/${target}: must be a JSON Pointer string or {"value": ...}`);
      }
    }
  }
  return errors;
}

/** Applies one section's rules to a backend answer. Without rules the answer is used as is. */
export function applyMapping(rules, answer) {
  if (!rules || Object.keys(rules).length === 0) return answer;
  const base = '' in rules ? rules[''] : '/' in rules ? rules['/'] : null;
  const startValue = typeof base === 'string' ? readPointer(answer, base) : undefined;
  const doc =
    startValue && typeof startValue === 'object' ? structuredClone(startValue) : { version: 1 };
  for (const [target, source] of Object.entries(rules)) {
    if (target === '' || target === '/') continue;
    const value = typeof source === 'string' ? readPointer(answer, source) : source?.value;
    if (value !== undefined) writePointer(doc, target, value);
  }
  return doc;
}
