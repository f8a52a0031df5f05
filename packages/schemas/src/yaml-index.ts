import { type Document, isMap, isPair, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';

/**
 * One iterative pass over a parsed YAML document: a key → pair table for every mapping (so looking
 * up a problem's position costs one step per path segment, not a scan of every key), the duplicate
 * keys, and the nesting depth. Iterative, so no input can overflow the stack here.
 */
export interface YamlIndex {
  /** Mapping → its pairs by key text (the first pair when a key repeats). */
  readonly keys: WeakMap<YAMLMap, Map<string, Pair>>;
  /** Every pair whose key repeats an earlier key of the same mapping, with that first pair. */
  readonly duplicates: { pair: Pair; first: Pair }[];
  /** Deepest nesting of mappings and sequences (a scalar document is 0). */
  readonly depth: number;
}

/** The key of a pair as a path segment: scalars by their value; other keys have no text. */
export function keyText(pair: Pair): string | undefined {
  const key = pair.key;
  if (isScalar(key)) return String(key.value);
  return typeof key === 'string' ? key : undefined;
}

/** Scalars with the same type and value are the same key (as the `yaml` library's `uniqueKeys`). */
function identity(pair: Pair): string | undefined {
  const key = pair.key;
  if (isScalar(key)) return `${typeof key.value}:${String(key.value)}`;
  return typeof key === 'string' ? `string:${key}` : undefined;
}

export function indexDocument(doc: Document): YamlIndex {
  const keys = new WeakMap<YAMLMap, Map<string, Pair>>();
  const duplicates: { pair: Pair; first: Pair }[] = [];
  let depth = 0;
  const stack: [unknown, number][] = [[doc.contents, 1]];
  while (stack.length > 0) {
    const [node, level] = stack.pop() as [unknown, number];
    if (isMap(node)) {
      depth = Math.max(depth, level);
      const byText = new Map<string, Pair>();
      const seen = new Map<string, Pair>();
      for (const item of node.items) {
        if (!isPair(item)) continue;
        const pair = item as Pair;
        const id = identity(pair);
        const first = id === undefined ? undefined : seen.get(id);
        if (first !== undefined) duplicates.push({ pair, first });
        else if (id !== undefined) seen.set(id, pair);
        const text = keyText(pair);
        if (text !== undefined && !byText.has(text)) byText.set(text, pair);
        stack.push([pair.key, level + 1], [pair.value, level + 1]);
      }
      keys.set(node, byText);
    } else if (isSeq(node)) {
      depth = Math.max(depth, level);
      for (const item of node.items) stack.push([item, level + 1]);
    } else if (isPair(node)) {
      stack.push([(node as Pair).key, level], [(node as Pair).value, level]);
    }
  }
  return { keys, duplicates, depth };
}

/** The pair of `map` under `key`, through the index. */
export function pairAt(index: YamlIndex, map: YAMLMap, key: string): Pair | undefined {
  return index.keys.get(map)?.get(key);
}

/** The node at `path` (string segments into mappings, numbers into sequences), or undefined. */
export function nodeAt(doc: Document, index: YamlIndex, path: readonly PropertyKey[]): Node | undefined {
  let node: unknown = doc.contents;
  for (const segment of path) {
    if (isMap(node)) node = pairAt(index, node, String(segment))?.value;
    else if (isSeq(node) && typeof segment === 'number') node = node.items[segment];
    else return undefined;
  }
  return (node ?? undefined) as Node | undefined;
}
