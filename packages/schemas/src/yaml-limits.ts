import { inputTooDeep, inputTooLarge, inputTooManyAliases, type ParseLimits } from './parse-limits.js';

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const HASH = 0x23;
const COMMA = 0x2c;
const COLON = 0x3a;
const DASH = 0x2d;
const QUESTION = 0x3f;
const STAR = 0x2a;
const AMPERSAND = 0x26;
const BANG = 0x21;
const PIPE = 0x7c;
const GREATER = 0x3e;
const OPEN_SQUARE = 0x5b;
const CLOSE_SQUARE = 0x5d;
const OPEN_CURLY = 0x7b;
const CLOSE_CURLY = 0x7d;

/**
 * Refuses YAML text that is too large, nested too deeply or holds too many aliases, in one linear
 * pass over the raw text, before the `yaml` parser (whose composer recurses once per level) sees it.
 *
 * Nesting is estimated from above, never from below: each open indentation level counts one (the
 * column after a compact `- ` / `? ` / `: ` indicator is one too), each open flow bracket one more.
 * Quoted scalars, block scalars (`|`, `>`) and comments are skipped, so brackets inside them do not
 * count. A multi-line plain scalar may count one level too many, which only matters at the limit.
 */
export function checkYamlLimits(text: string, subject: string, limits: Readonly<ParseLimits>): void {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > limits.maxBytes) throw inputTooLarge(subject, bytes, limits.maxBytes);

  const n = text.length;
  const indents: number[] = []; // indentation of the open block levels, increasing
  let flow = 0;
  let aliases = 0;
  let line = 1;
  let i = 0;
  /** Lines indented more than this belong to a block scalar being skipped; -1 when none. */
  let blockScalarParent = -1;

  const tooDeep = (depth: number) => {
    if (depth > limits.maxDepth) throw inputTooDeep(subject, limits.maxDepth, line);
  };

  while (i < n) {
    // At the start of a line: measure the indentation.
    let indent = 0;
    while (i + indent < n && text.charCodeAt(i + indent) === SPACE) indent++;
    const first = i + indent < n ? text.charCodeAt(i + indent) : LF;
    const blank = first === LF || first === CR || (first === HASH && flow === 0);
    if (blockScalarParent >= 0) {
      if (blank || indent > blockScalarParent) {
        i = skipLine(text, i);
        line++;
        continue;
      }
      blockScalarParent = -1;
    }
    if (blank) {
      i = skipLine(text, i);
      line++;
      continue;
    }
    if (flow === 0) {
      // A sequence may sit at its parent key's indentation (`k:` then `- x` below it): a `- ` line
      // opens its level half a column in, so it stays inside a mapping key of the same column.
      const after = i + indent + 1 < n ? text.charCodeAt(i + indent + 1) : LF;
      const level =
        first === DASH && (after === SPACE || after === LF || after === CR) ? indent + 0.5 : indent;
      while (indents.length > 0 && (indents.at(-1) as number) >= level) indents.pop();
      indents.push(level);
    }
    const lineStart = i;
    i += indent;
    /**
     * `- `, `? ` and `: ` open a level whose content starts after the indicator: its column is an
     * indentation level too, so `- k:` followed by a line at the column of `k` is one mapping.
     */
    const openCompact = (at: number) => {
      let column = at + 1;
      while (column < n && text.charCodeAt(column) === SPACE) column++;
      const c = column < n ? text.charCodeAt(column) : LF;
      if (c === LF || c === CR || c === HASH) return; // the content is on the next lines
      indents.push(column - lineStart);
      tooDeep(indents.length + flow);
    };
    // A node may begin here: a quote, bracket, `*`, `|` or `>` inside a plain scalar means nothing.
    let nodeStart = true;
    let afterSpace = true;
    // The rest of the line (a quoted scalar may carry the scan over several lines).
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === LF) break;
      if (c === SPACE || c === TAB || c === CR) {
        afterSpace = true;
        i++;
        continue;
      }
      const next = i + 1 < n ? text.charCodeAt(i + 1) : LF;
      const separated = next === SPACE || next === TAB || next === LF || next === CR;
      if (c === HASH && afterSpace) break; // a comment: the rest of the line
      afterSpace = false;
      if (flow > 0 && (c === OPEN_SQUARE || c === OPEN_CURLY)) {
        flow++;
        tooDeep(indents.length + flow);
        nodeStart = true;
      } else if (flow > 0 && c === COMMA) {
        nodeStart = true;
      } else if (flow > 0 && (c === CLOSE_SQUARE || c === CLOSE_CURLY)) {
        flow--;
        nodeStart = false;
      } else if (c === COLON && (separated || flow > 0)) {
        if (flow === 0 && nodeStart) openCompact(i); // `: value` of an explicit `? key`
        nodeStart = true;
      } else if (nodeStart) {
        if (c === QUOTE_DOUBLE || c === QUOTE_SINGLE) {
          const end = skipQuoted(text, i, c);
          line += countLines(text, i, end);
          i = end;
          nodeStart = false;
          continue;
        }
        if (c === OPEN_SQUARE || c === OPEN_CURLY) {
          flow++;
          tooDeep(indents.length + flow);
        } else if (flow === 0 && separated && (c === DASH || c === QUESTION)) {
          openCompact(i); // `- - - x` opens one level per indicator
        } else if (c === STAR || c === AMPERSAND || c === BANG) {
          // An alias is a whole node; an anchor or a tag precedes one.
          if (c === STAR && ++aliases > limits.maxAliases) {
            throw inputTooManyAliases(subject, limits.maxAliases);
          }
          i = skipToken(text, i);
          nodeStart = c !== STAR;
          continue;
        } else if (flow === 0 && (c === PIPE || c === GREATER)) {
          blockScalarParent = indent;
          break; // the header's indicators and comment
        } else {
          nodeStart = false; // a plain scalar
        }
      }
      i++;
    }
    while (i < n && text.charCodeAt(i) !== LF) i++;
    tooDeep(indents.length + flow);
    if (i < n) i++; // the line feed
    line++;
  }
}

const QUOTE_DOUBLE = 0x22;
const QUOTE_SINGLE = 0x27;

/** Index just past the closing quote (or the end of the text when it is missing). */
function skipQuoted(text: string, start: number, quote: number): number {
  const n = text.length;
  let i = start + 1;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (quote === QUOTE_DOUBLE && c === 0x5c /* \ */) {
      i += 2;
      continue;
    }
    if (c === quote) {
      if (quote === QUOTE_SINGLE && text.charCodeAt(i + 1) === QUOTE_SINGLE) {
        i += 2; // '' is an escaped quote
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return n;
}

function countLines(text: string, from: number, to: number): number {
  let lines = 0;
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === LF) lines++;
  return lines;
}

/** Index just past an anchor, tag or alias name: up to whitespace or a flow indicator. */
function skipToken(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === SPACE || c === TAB || c === LF || c === CR || c === COMMA) break;
    if (c === OPEN_SQUARE || c === CLOSE_SQUARE || c === OPEN_CURLY || c === CLOSE_CURLY) break;
    i++;
  }
  return i;
}

/** Index of the first character of the next line. */
function skipLine(text: string, from: number): number {
  const lf = text.indexOf('\n', from);
  return lf < 0 ? text.length : lf + 1;
}
