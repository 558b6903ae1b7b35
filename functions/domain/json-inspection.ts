/**
 * What the API accepts of client JSON before any schema sees it: every string and key well-formed
 * Unicode (a lone UTF-16 surrogate, which JSON's `\ud800` escape can carry, is refused by Firestore
 * and by every UTF-8 encoder), and nesting bounded. The walk is iterative, so a value nested
 * thousands deep is reported, not a stack overflow (JSON.parse builds such values without complaint;
 * JSON.stringify and any recursive check then overflow).
 */
import type { ErrorDetail } from './errors.js';

/**
 * Deep enough for every value the API stores (free-form JSON is held to 16 levels below its field,
 * STORABLE_MAX_DEPTH) with room for the request around it; the schemas give the precise limits.
 */
const MAX_JSON_DEPTH = 32;

/** A code unit sequence that is not well-formed UTF-16 cannot be stored or encoded. */
function isWellFormedText(text: string): boolean {
  return text.isWellFormed();
}

const NOT_UNICODE = 'contains an unpaired UTF-16 surrogate (as \\ud800); send well-formed Unicode text';

/** A path as the error details spell it: `metadata.a.0`, `(body)` for the whole value. */
function pathOf(prefix: string, segments: readonly (string | number)[]): string {
  const parts = [prefix, ...segments.map(String)].filter((part) => part !== '');
  return parts.length > 0 ? parts.join('.') : '(body)';
}

/** A key is shown as text only when it can be; a malformed key is named by its position instead. */
function keyLabel(key: string): string {
  return isWellFormedText(key) ? key : '(key)';
}

/**
 * The first reason a parsed JSON value (or a query's values) cannot be accepted, as a detail naming
 * the field; undefined when it can. Too deep a value is named by the field it started in, which is
 * what the client can act on (its full path would be thousands of segments).
 */
export function jsonProblemOf(value: unknown, options: { prefix?: string; maxDepth?: number } = {}): ErrorDetail | undefined {
  const prefix = options.prefix ?? '';
  const maxDepth = options.maxDepth ?? MAX_JSON_DEPTH;
  const stack: Array<{ node: unknown; path: (string | number)[] }> = [{ node: value, path: [] }];
  while (stack.length > 0) {
    const { node, path } = stack.pop()!;
    if (typeof node === 'string') {
      if (!isWellFormedText(node)) return { path: pathOf(prefix, path), issue: NOT_UNICODE };
      continue;
    }
    if (node === null || typeof node !== 'object') continue;
    if (path.length >= maxDepth) return { path: pathOf(prefix, path.slice(0, 1)), issue: `is nested deeper than ${maxDepth} levels` };
    if (Array.isArray(node)) {
      for (let index = node.length - 1; index >= 0; index--) stack.push({ node: node[index], path: [...path, index] });
      continue;
    }
    const entries = Object.entries(node as Record<string, unknown>);
    for (let index = entries.length - 1; index >= 0; index--) {
      const [key, child] = entries[index]!;
      if (!isWellFormedText(key)) return { path: pathOf(prefix, [...path, keyLabel(key)]), issue: `has a key that ${NOT_UNICODE}` };
      stack.push({ node: child, path: [...path, key] });
    }
  }
  return undefined;
}
