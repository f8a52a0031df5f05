import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeStamps } from './install/stamps.js';
import { NOOP_ANSWERS_FILE, recordNoopAnswer, replayNoopAnswer } from './noop-answers.js';

let root: string;
let config: string;
let homeConfig: string;
const answer = { stdout: 'everything is up to date (1 module)\n' };
// the answer's run started well after every input was written
const later = () => Date.now() + 5_000;

async function generation(id: string): Promise<string> {
  const dir = join(root, '.provisioning', 'generations', id);
  await mkdir(join(dir, 'taskservs', 'redis'), { recursive: true });
  await writeFile(join(dir, 'taskservs', 'redis', 'manifest.yaml'), 'name: redis\n');
  await writeFile(join(dir, '.provisioning.lock'), 'lock\n');
  await writeFile(join(dir, '.provisioning.lock.json'), '{}');
  await writeStamps(dir);
  return dir;
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'ws-noop-answers-'));
  config = join(root, 'config', 'provisioning.yaml');
  homeConfig = join(root, 'home', 'config.yaml');
  await mkdir(join(root, 'config'), { recursive: true });
  await writeFile(config, 'dependencies: {}\n');
  await generation('g1');
  await symlink(join('generations', 'g1'), join(root, '.provisioning', 'extensions'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const record = (key = 'k', startedAt = later()) =>
  recordNoopAnswer(root, { key, inputs: [config, homeConfig], answer, startedAt });

describe('no-op answers', () => {
  it('replays a recorded answer for the same key while nothing changed', () => {
    expect(replayNoopAnswer(root, 'k')).toBeUndefined();
    expect(record()).toBe(true);
    expect(existsSync(join(root, '.provisioning', NOOP_ANSWERS_FILE))).toBe(true);
    expect(replayNoopAnswer(root, 'k')).toEqual(answer);
    expect(replayNoopAnswer(root, 'other')).toBeUndefined();
    expect(replayNoopAnswer(join(root, 'config'), 'k')).toBeUndefined();
  });

  it('keeps one answer per key, the newest first, up to eight', () => {
    for (let i = 0; i < 10; i++) expect(record(`k${i}`)).toBe(true);
    const file = JSON.parse(readFileSync(join(root, '.provisioning', NOOP_ANSWERS_FILE), 'utf8'));
    expect(file.entries.map((e: { key: string }) => e.key)).toEqual([
      'k9',
      'k8',
      'k7',
      'k6',
      'k5',
      'k4',
      'k3',
      'k2',
    ]);
    expect(replayNoopAnswer(root, 'k9')).toEqual(answer);
    expect(replayNoopAnswer(root, 'k0')).toBeUndefined();
  });

  it('records nothing when an input changed after the run started, or just before', async () => {
    expect(record('k', Date.now())).toBe(false);
    expect(existsSync(join(root, '.provisioning', NOOP_ANSWERS_FILE))).toBe(false);
  });

  it('does not replay once an input changes, even back to the same size', async () => {
    record();
    await writeFile(config, 'dependencies: []\n');
    expect(replayNoopAnswer(root, 'k')).toBeUndefined();
  });

  it('does not replay once an input that was absent appears', async () => {
    record();
    await mkdir(join(root, 'home'));
    await writeFile(homeConfig, 'registry: localhost:5000\n');
    expect(replayNoopAnswer(root, 'k')).toBeUndefined();
  });

  it('does not replay once an installed file changes', async () => {
    record();
    await writeFile(
      join(root, '.provisioning', 'extensions', 'taskservs', 'redis', 'manifest.yaml'),
      'name: REDIS\n',
    );
    expect(replayNoopAnswer(root, 'k')).toBeUndefined();
  });

  it('does not replay against another generation', async () => {
    record();
    await generation('g2');
    await rm(join(root, '.provisioning', 'extensions'));
    await symlink(join('generations', 'g2'), join(root, '.provisioning', 'extensions'));
    expect(replayNoopAnswer(root, 'k')).toBeUndefined();
  });

  it('neither records nor replays while a run holds the workspace lock or a rollback is in flight', async () => {
    record();
    for (const busy of ['.lock', 'rollback.json']) {
      const path = join(root, '.provisioning', busy);
      await writeFile(path, '{}');
      expect(replayNoopAnswer(root, 'k')).toBeUndefined();
      expect(record('k2')).toBe(false);
      await rm(path);
    }
    expect(replayNoopAnswer(root, 'k')).toEqual(answer);
  });

  it('records nothing without an installed generation, and ignores a damaged answers file', async () => {
    await writeFile(join(root, '.provisioning', NOOP_ANSWERS_FILE), '{"format":1,"entries":');
    expect(replayNoopAnswer(root, 'k')).toBeUndefined();
    expect(record()).toBe(true);
    expect(replayNoopAnswer(root, 'k')).toEqual(answer);
    await rm(join(root, '.provisioning', 'extensions'));
    expect(record('k2')).toBe(false);
  });
});

describe('the noop-answers entry point', () => {
  it('imports nothing but Node built-ins and its own light modules (it runs before any library loads)', () => {
    const seen = new Set<string>();
    const bare: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = readFileSync(file, 'utf8');
      for (const [, specifier] of source.matchAll(/^import(?!\s+type)[^'"]*['"]([^'"]+)['"]/gm)) {
        if (specifier!.startsWith('node:')) continue;
        if (specifier!.startsWith('.')) visit(join(dirname(file), specifier!.replace(/\.js$/, '.ts')));
        else bare.push(`${file}: ${specifier}`);
      }
    };
    visit(fileURLToPath(new URL('./noop-answers.ts', import.meta.url)));
    expect(bare).toEqual([]);
    expect(seen.size).toBeGreaterThan(2);
  });
});
