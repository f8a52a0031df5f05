/**
 * A set of versions of one package, stored as a bitset over that package's sorted list of known
 * versions. Intersection, union, complement and subset checks are word operations, so the solver
 * never compares semver strings in its hot loop. Instances are immutable.
 */
export class VersionSet {
  private constructor(
    /** Number of known versions (bits that may be set). */
    readonly size: number,
    /** 32 bits per word; plain arrays are much cheaper to allocate than typed arrays here. */
    private readonly words: number[],
  ) {}

  static empty(size: number): VersionSet {
    return new VersionSet(size, new Array<number>(wordCount(size)).fill(0));
  }

  static full(size: number): VersionSet {
    return new VersionSet(size, clearTail(size, new Array<number>(wordCount(size)).fill(-1)));
  }

  static of(size: number, indices: Iterable<number>): VersionSet {
    const words = new Array<number>(wordCount(size)).fill(0);
    for (const index of indices) words[index >>> 5]! |= 1 << (index & 31);
    return new VersionSet(size, words);
  }

  has(index: number): boolean {
    return ((this.words[index >>> 5]! >>> (index & 31)) & 1) === 1;
  }

  intersect(other: VersionSet): VersionSet {
    const words = this.words.map((word, i) => word & other.words[i]!);
    return new VersionSet(this.size, words);
  }

  union(other: VersionSet): VersionSet {
    const words = this.words.map((word, i) => word | other.words[i]!);
    return new VersionSet(this.size, words);
  }

  minus(other: VersionSet): VersionSet {
    const words = this.words.map((word, i) => word & ~other.words[i]!);
    return new VersionSet(this.size, words);
  }

  complement(): VersionSet {
    return new VersionSet(
      this.size,
      clearTail(
        this.size,
        this.words.map((word) => ~word),
      ),
    );
  }

  isEmpty(): boolean {
    for (const word of this.words) if (word !== 0) return false;
    return true;
  }

  isFull(): boolean {
    return this.count() === this.size;
  }

  equals(other: VersionSet): boolean {
    for (let i = 0; i < this.words.length; i++) if (this.words[i] !== other.words[i]) return false;
    return true;
  }

  isSubsetOf(other: VersionSet): boolean {
    for (let i = 0; i < this.words.length; i++) if ((this.words[i]! & ~other.words[i]!) !== 0) return false;
    return true;
  }

  isDisjointFrom(other: VersionSet): boolean {
    for (let i = 0; i < this.words.length; i++) if ((this.words[i]! & other.words[i]!) !== 0) return false;
    return true;
  }

  count(): number {
    let total = 0;
    for (const word of this.words) total += popcount(word);
    return total;
  }

  /** Index of the highest version in the set, or -1 when empty. */
  highest(): number {
    for (let w = this.words.length - 1; w >= 0; w--) {
      const word = this.words[w]!;
      if (word !== 0) return w * 32 + (31 - Math.clz32(word));
    }
    return -1;
  }

  /** Set indices in ascending order. */
  *indices(): IterableIterator<number> {
    for (let w = 0; w < this.words.length; w++) {
      let word = this.words[w]!;
      while (word !== 0) {
        const bit = 31 - Math.clz32(word & -word);
        yield w * 32 + bit;
        word &= word - 1;
      }
    }
  }

  /** Maximal runs of consecutive set indices, as inclusive [first, last] pairs. */
  runs(): Array<[number, number]> {
    const runs: Array<[number, number]> = [];
    for (const index of this.indices()) {
      const last = runs[runs.length - 1];
      if (last && last[1] === index - 1) last[1] = index;
      else runs.push([index, index]);
    }
    return runs;
  }
}

function wordCount(size: number): number {
  return Math.max(1, Math.ceil(size / 32));
}

function clearTail(size: number, words: number[]): number[] {
  const used = size & 31;
  const lastWord = words.length - 1;
  if (size === 0) words.fill(0);
  else if (used !== 0) words[lastWord]! &= (1 << used) - 1;
  return words;
}

function popcount(value: number): number {
  let v = value - ((value >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}
