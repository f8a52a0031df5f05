/** `1 module`, `3 modules`: a count with its noun in the right number (nouns that take an "s"). */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
