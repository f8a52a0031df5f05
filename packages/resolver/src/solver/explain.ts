import type { Describer } from './describe.js';
import type { Incompatibility } from './incompatibility.js';

interface Line {
  text: string;
  number: number | undefined;
}

/**
 * Writes the derivation graph of a failed solve as numbered English lines, following the error
 * reporting algorithm of Dart pub's doc/solver.md: external facts first, working towards
 * "version solving failed", numbering only conclusions that are referred to again later.
 */
export function explainFailure(root: Incompatibility, describer: Describer): string {
  try {
    return new Explanation(root, describer).render();
  } catch (error) {
    // Derivations thousands of steps deep (a very long dependency chain) exhaust the stack of the
    // recursive writer; fall back to one numbered line per derivation, written iteratively.
    if (error instanceof RangeError) return flatExplanation(root, describer);
    throw error;
  }
}

function flatExplanation(root: Incompatibility, describer: Describer): string {
  const numbers = new Map<Incompatibility, number>();
  const lines: string[] = [];
  const stack: Array<{ incompatibility: Incompatibility; expanded: boolean }> = [
    { incompatibility: root, expanded: false },
  ];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const { incompatibility } = frame;
    if (!incompatibility.isDerived() || numbers.has(incompatibility)) continue;
    const { conflict, other } = incompatibility.cause;
    if (!frame.expanded) {
      stack.push({ incompatibility, expanded: true }, { incompatibility: other, expanded: false });
      stack.push({ incompatibility: conflict, expanded: false });
      continue;
    }
    const cite = (cause: Incompatibility) => {
      const number = numbers.get(cause);
      return `${describer.incompatibility(cause)}${number === undefined ? '' : ` (${number})`}`;
    };
    numbers.set(incompatibility, lines.length + 1);
    lines.push(
      `(${lines.length + 1}) Because ${cite(conflict)} and ${cite(other)}, ${describer.incompatibility(incompatibility)}.`,
    );
  }
  return lines.join('\n');
}

class Explanation {
  private readonly lines: Line[] = [];
  private readonly lineNumbers = new Map<Incompatibility, number>();
  /** How many derived incompatibilities each one is a cause of. */
  private readonly uses = new Map<Incompatibility, number>();

  constructor(
    private readonly root: Incompatibility,
    private readonly describer: Describer,
  ) {
    this.countUses(root);
  }

  render(): string {
    if (!this.root.isDerived()) {
      return `Because ${this.describer.incompatibility(this.root)}, version solving failed.`;
    }
    this.visit(this.root);
    const width = this.lineNumbers.size === 0 ? 0 : `(${this.lineNumbers.size}) `.length;
    return this.lines
      .map(({ text, number }) => {
        if (text === '') return '';
        const prefix = number === undefined ? '' : `(${number})`;
        return prefix.padEnd(width) + text;
      })
      .join('\n');
  }

  private countUses(root: Incompatibility): void {
    const seen = new Set<Incompatibility>();
    const stack = [root];
    while (stack.length > 0) {
      const incompatibility = stack.pop()!;
      if (seen.has(incompatibility) || !incompatibility.isDerived()) continue;
      seen.add(incompatibility);
      for (const cause of [incompatibility.cause.conflict, incompatibility.cause.other]) {
        this.uses.set(cause, (this.uses.get(cause) ?? 0) + 1);
        stack.push(cause);
      }
    }
  }

  private visit(incompatibility: Incompatibility, conclusion = false): void {
    if (!incompatibility.isDerived()) return;
    const numbered = conclusion || (this.uses.get(incompatibility) ?? 0) > 1;
    const conjunction = conclusion || incompatibility === this.root ? 'So,' : 'And';
    const text = this.describer.incompatibility(incompatibility);
    const { conflict, other } = incompatibility.cause;
    const d = this.describer;

    if (conflict.isDerived() && other.isDerived()) {
      const conflictLine = this.lineNumbers.get(conflict);
      const otherLine = this.lineNumbers.get(other);
      if (conflictLine !== undefined && otherLine !== undefined) {
        this.write(
          incompatibility,
          `Because ${d.and(conflict, other, conflictLine, otherLine)}, ${text}.`,
          numbered,
        );
      } else if (conflictLine !== undefined || otherLine !== undefined) {
        const [withLine, withoutLine] = conflictLine !== undefined ? [conflict, other] : [other, conflict];
        this.visit(withoutLine);
        const line = this.lineNumbers.get(withLine)!;
        this.write(
          incompatibility,
          `${conjunction} because ${d.incompatibility(withLine)} (${line}), ${text}.`,
          numbered,
        );
      } else if (isSingleLine(conflict) || isSingleLine(other)) {
        const [first, second] = isSingleLine(other) ? [conflict, other] : [other, conflict];
        this.visit(first);
        this.visit(second);
        this.write(incompatibility, `Thus, ${text}.`, numbered);
      } else {
        // Two independent branches: the shorter one first, concluded with a number to cite.
        const [first, second] =
          this.size(other) < this.size(conflict) ? [other, conflict] : [conflict, other];
        this.visit(first, true);
        this.lines.push({ text: '', number: undefined });
        this.visit(second);
        const line = this.lineNumbers.get(first)!;
        this.write(
          incompatibility,
          `${conjunction} because ${d.incompatibility(first)} (${line}), ${text}.`,
          numbered,
        );
      }
      return;
    }

    if (conflict.isDerived() || other.isDerived()) {
      const [derived, external] = conflict.isDerived() ? [conflict, other] : [other, conflict];
      const derivedLine = this.lineNumbers.get(derived);
      if (derivedLine !== undefined) {
        this.write(
          incompatibility,
          `Because ${d.and(external, derived, undefined, derivedLine)}, ${text}.`,
          numbered,
        );
      } else if (this.isCollapsible(derived)) {
        const inner = derived.cause as { conflict: Incompatibility; other: Incompatibility };
        const [innerDerived, innerExternal] = inner.conflict.isDerived()
          ? [inner.conflict, inner.other]
          : [inner.other, inner.conflict];
        this.visit(innerDerived);
        this.write(
          incompatibility,
          `${conjunction} because ${d.and(innerExternal, external)}, ${text}.`,
          numbered,
        );
      } else {
        this.visit(derived);
        this.write(
          incompatibility,
          `${conjunction} because ${d.incompatibility(external)}, ${text}.`,
          numbered,
        );
      }
      return;
    }

    this.write(incompatibility, `Because ${d.and(conflict, other)}, ${text}.`, numbered);
  }

  private readonly sizes = new Map<Incompatibility, number>();

  /** Number of derivation steps below an incompatibility (shared steps counted per use). */
  private size(incompatibility: Incompatibility): number {
    if (!incompatibility.isDerived()) return 0;
    let size = this.sizes.get(incompatibility);
    if (size === undefined) {
      size = 1 + this.size(incompatibility.cause.conflict) + this.size(incompatibility.cause.other);
      this.sizes.set(incompatibility, size);
    }
    return size;
  }

  /** A derived cause with one derived and one external cause can be folded into one line. */
  private isCollapsible(incompatibility: Incompatibility): boolean {
    if ((this.uses.get(incompatibility) ?? 0) > 1 || !incompatibility.isDerived()) return false;
    const { conflict, other } = incompatibility.cause;
    if (conflict.isDerived() === other.isDerived()) return false;
    const complex = conflict.isDerived() ? conflict : other;
    return !this.lineNumbers.has(complex);
  }

  private write(incompatibility: Incompatibility, text: string, numbered: boolean): void {
    if (!numbered) {
      this.lines.push({ text, number: undefined });
      return;
    }
    const number = this.lineNumbers.size + 1;
    this.lineNumbers.set(incompatibility, number);
    this.lines.push({ text, number });
  }
}

function isSingleLine(incompatibility: Incompatibility): boolean {
  if (!incompatibility.isDerived()) return false;
  return !incompatibility.cause.conflict.isDerived() && !incompatibility.cause.other.isDerived();
}
