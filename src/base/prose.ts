// Lists in running text, as the generated docs and dashboard write them.

/** "a", "a or b", "a, b or c" (with `and` likewise). */
export function spokenList(items: readonly string[], conjunction: 'and' | 'or'): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} ${conjunction} ${items.at(-1)}`;
}

/** Each value as Markdown inline code, separated by commas: "`a`, `b`". */
export function codeList(values: readonly string[]): string {
  return values.map((value) => `\`${value}\``).join(', ');
}
