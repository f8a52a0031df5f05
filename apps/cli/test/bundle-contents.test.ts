/**
 * What `scripts/bundle.mjs` leaves out of the CLI's bundle, checked on the built files: code that
 * every command would otherwise compile and keep for nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_ROOT } from './support/run-cli.js';

const dist = join(CLI_ROOT, 'dist');
const bundled = readdirSync(dist, { recursive: true, encoding: 'utf8' })
  .filter((name) => name.endsWith('.js'))
  .map((name) => ({ name, code: readFileSync(join(dist, name), 'utf8') }));

describe('the CLI bundle', () => {
  it("has zod's English messages and none of its other locales", () => {
    expect(bundled.some(({ code }) => code.includes('Invalid input: expected'))).toBe(true);
    // German, as esbuild writes it (ASCII output), and as it is in zod's sources
    const german = bundled.filter(({ code }) => /Ung(\\xFC|\\u00FC|ü)ltige Eingabe/.test(code));
    expect(german.map(({ name }) => name)).toEqual([]);
  });

  it('has the entries bin/run.js loads before it (the no-op answer, --version) as single files importing only Node built-ins', () => {
    for (const entry of ['noop-replay.js', 'version-line.js']) {
      const code = readFileSync(join(dist, entry), 'utf8');
      const statements = /(?:^|[;\n])\s*import\s*(?:[^"';]*?\bfrom\s*)?["']([^"']+)["']/g;
      const dynamic = /\bimport\(\s*["']([^"']+)["']\s*\)/g;
      const specifiers = [...code.matchAll(statements), ...code.matchAll(dynamic)].map((m) => m[1]);
      expect(specifiers.length, entry).toBeGreaterThan(0);
      expect(
        specifiers.filter((s) => !s!.startsWith('node:')),
        entry,
      ).toEqual([]);
    }
  });
});
