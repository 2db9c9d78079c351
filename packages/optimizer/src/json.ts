/** A JSON value as `JSON.parse` returns it: what a grid array may hold. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Byte-wise (UTF-16 code unit) string order, the order the reference sorts grid keys in. */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
