// Matches ANSI colour/style escape sequences, which take no room on screen.
const ANSI = /\u001b\[[0-9;]*m/g;

/** Columns a string occupies in a terminal (ANSI escapes ignored, one column per code point). */
export function textWidth(text: string): number {
  return [...text.replace(ANSI, '')].length;
}

export function padText(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const fill = ' '.repeat(Math.max(0, width - textWidth(text)));
  return align === 'right' ? fill + text : text + fill;
}
