/**
 * Named exports of a CommonJS package loaded with `import()`. Node's own loader gives them
 * beside `default`; an esbuild bundle with code splitting gives only `default` (the whole
 * `module.exports`), so `const { parse } = await import('yaml')` got undefined in dist/ and
 * `parse` "is not a function". Every dynamic import of a CommonJS package goes through this.
 */
export function cjsExports<T extends object>(namespace: T): T {
  const keys = Object.keys(namespace).filter((k) => k !== 'default' && k !== '__esModule');
  const fallback = (namespace as { readonly default?: unknown }).default;
  return keys.length === 0 && typeof fallback === 'object' && fallback !== null ? (fallback as T) : namespace;
}
