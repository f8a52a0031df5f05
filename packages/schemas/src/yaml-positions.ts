import { type Document, isMap, isScalar, isSeq, type LineCounter, type Node, type Pair } from 'yaml';
import { pairAt, type YamlIndex } from './yaml-index.js';

export interface Position {
  line: number;
  column: number;
}

/**
 * Line and column (1-based) of the YAML node at `path`. `at: 'key'` asks for the key of the last
 * segment (where an unknown key is written). When the path does not exist (a missing key), the
 * position of the deepest existing key is returned: the line of its parent mapping. Each segment is
 * one lookup in `index` (a scan of the mapping's keys per problem made many problems quadratic).
 */
export function positionOf(
  doc: Document,
  index: YamlIndex,
  path: readonly PropertyKey[],
  lineCounter: LineCounter,
  at: 'value' | 'key' = 'value',
): Position | undefined {
  let node: unknown = doc.contents;
  let fallback: Node | null | undefined = isMap(node) || isSeq(node) ? (node as Node) : undefined;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair: Pair | undefined = pairAt(index, node, String(segment));
      if (pair === undefined) break;
      const keyNode = pair.key as Node | null;
      if (last && at === 'key') return toPosition(keyNode, lineCounter);
      fallback = keyNode ?? fallback;
      node = pair.value;
      // `key:` with nothing after it has no value worth pointing at: point at the key.
      if (isEmptyValue(pair.value)) {
        return last ? toPosition(keyNode, lineCounter) : toPosition(fallback, lineCounter);
      }
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (item === undefined) break;
      node = item;
      fallback = item;
    } else {
      break;
    }
    if (last) return toPosition(node as Node, lineCounter);
  }
  return path.length === 0
    ? toPosition(doc.contents as Node | null, lineCounter)
    : toPosition(fallback, lineCounter);
}

function toPosition(node: Node | null | undefined, lineCounter: LineCounter): Position | undefined {
  const offset = node?.range?.[0];
  if (offset === undefined) return undefined;
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

function isEmptyValue(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  const range = (value as Node).range;
  return (
    range === undefined ||
    range === null ||
    (isScalar(value) && value.value === null && range[0] === range[1])
  );
}
