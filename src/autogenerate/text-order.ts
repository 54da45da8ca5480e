/** Code-point order, independent of any locale, so two servers with different collations sort alike. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
