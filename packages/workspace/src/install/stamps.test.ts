import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchesStamps, readStamps, writeStamps } from './stamps.js';

let gen: string;
beforeAll(async () => {
  gen = await mkdtemp(join(tmpdir(), 'ws-stamps-'));
  await mkdir(join(gen, 'taskservs', 'redis', 'templates'), { recursive: true });
  await writeFile(join(gen, 'taskservs', 'redis', 'manifest.yaml'), 'name: redis\n');
  await writeFile(join(gen, 'taskservs', 'redis', 'templates', 'redis.conf.j2'), 'port {{ port }}\n');
  await writeStamps(gen);
});
afterAll(async () => {
  await rm(gen, { recursive: true, force: true });
});

describe('generation stamps', () => {
  it('match an untouched module and notice a rewrite with the same size, an added and a removed file', async () => {
    const stamps = (await readStamps(gen))!;
    const dir = join(gen, 'taskservs', 'redis');
    expect(Object.keys(stamps)).toEqual(['taskservs/redis']);
    expect(await matchesStamps(dir, stamps['taskservs/redis'])).toBe(true);
    await writeFile(join(dir, 'manifest.yaml'), 'name: REDIS\n'); // same size, new content
    expect(await matchesStamps(dir, stamps['taskservs/redis'])).toBe(false);
    await writeStamps(gen);
    const again = (await readStamps(gen))!;
    await writeFile(join(dir, 'extra.txt'), 'x');
    expect(await matchesStamps(dir, again['taskservs/redis'])).toBe(false);
    await rm(join(dir, 'extra.txt'));
    await rm(join(dir, 'templates', 'redis.conf.j2'));
    expect(await matchesStamps(dir, again['taskservs/redis'])).toBe(false);
    expect(await matchesStamps(dir, undefined)).toBe(false);
  });
});
