import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type RunningDistribution, requireBinary, startDistribution } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from './support/run-cli.js';

const run = promisify(execFile);
const box = new Sandbox();
let registry: RunningDistribution | undefined;
const skopeo = requireBinary('skopeo');
const umoci = requireBinary('umoci');

beforeAll(async () => {
  const generated = await box.run([
    'generate',
    'extension',
    'taskserv',
    'redis',
    '--dir',
    join(box.root, 'src-a', 'redis'),
  ]);
  expect(generated.code).toBe(0);
});
afterAll(async () => {
  await registry?.stop();
  box.cleanup();
});

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

describe('provisioning oci package', () => {
  it('is reproducible: copies in different dirs, packed from different cwds, give identical sha256', async () => {
    const a = join(box.root, 'src-a', 'redis');
    const b = join(box.root, 'elsewhere', 'deep', 'redis');
    cpSync(a, b, { recursive: true });
    utimesSync(join(b, 'manifest.yaml'), new Date('2011-11-11'), new Date('2011-11-11'));
    mkdirSync(join(box.root, 'cwd-a'));
    mkdirSync(join(box.root, 'cwd-b'));
    const first = await box.run(['oci', 'package', a, '--json'], { cwd: join(box.root, 'cwd-a') });
    const second = await box.run(
      ['oci', 'package', '../elsewhere/deep/redis', '--output', 'dist', '--json'],
      {
        cwd: join(box.root, 'cwd-b'),
      },
    );
    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
    const one = JSON.parse(first.stdout);
    const two = JSON.parse(second.stdout);
    expect(one.tarball).toBe(join(box.root, 'cwd-a', 'redis-1.0.0.tar.gz'));
    expect(two.tarball).toBe(join(box.root, 'cwd-b', 'dist', 'redis-1.0.0.tar.gz'));
    expect(sha256(one.tarball)).toBe(sha256(two.tarball));
    expect(one.layer.digest).toBe(`sha256:${sha256(one.tarball)}`);
    expect(two.manifest.digest).toBe(one.manifest.digest);
    expect(two.config.digest).toBe(one.config.digest);

    const human = await box.run(['oci', 'package', a, '--output', 'human'], { cwd: join(box.root, 'cwd-a') });
    expect(human.code).toBe(0);
    expect(human.stdout.split('\n').slice(0, 4)).toEqual([
      'human/redis-1.0.0.tar.gz',
      `  layer     ${one.layer.digest}  (${one.layer.size} bytes)`,
      `  config    ${one.config.digest}`,
      `  manifest  ${one.manifest.digest}`,
    ]);
  });

  it('--oci-layout stores an artifact that skopeo and umoci read', async () => {
    const layout = join(box.root, 'layout');
    const result = await box.run([
      'oci',
      'package',
      join(box.root, 'src-a', 'redis'),
      '--output',
      join(box.root, 'out'),
      '--oci-layout',
      layout,
      '--json',
    ]);
    expect(result.code).toBe(0);
    const packed = JSON.parse(result.stdout);
    expect(packed.oci_layout).toEqual({ path: layout, tag: '1.0.0', replaced: null });
    // the text output names it in the CLI's own syntax, which the CLI then takes as is
    const human = await box.run([
      'oci',
      'package',
      join(box.root, 'src-a', 'redis'),
      '--output',
      join(box.root, 'out-human'),
      '--oci-layout',
      layout,
    ]);
    const stored = /stored in (oci-layout:\S+)/.exec(human.stdout)?.[1];
    expect(stored).toBe(`oci-layout:${layout}:1.0.0`);
    expect((await box.run(['oci', 'inspect', stored as string])).code).toBe(0);

    const raw = await run(skopeo, ['inspect', '--raw', `oci:${layout}:1.0.0`]);
    const manifest = JSON.parse(raw.stdout);
    expect(`sha256:${createHash('sha256').update(raw.stdout).digest('hex')}`).toBe(packed.manifest.digest);
    expect(manifest.artifactType).toBe('application/vnd.provisioning.extension.v1');
    expect(manifest.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(manifest.config.mediaType).toBe('application/vnd.provisioning.extension.config.v1+json');
    expect(manifest.layers.map((l: { mediaType: string }) => l.mediaType)).toEqual([
      'application/vnd.provisioning.extension.content.v1.tar+gzip',
    ]);
    expect(manifest.layers[0].annotations['org.opencontainers.image.title']).toBe('redis-1.0.0.tar.gz');
    expect(manifest.annotations['dev.provisioning.extension.type']).toBe('taskserv');

    // umoci lists the tag; `umoci stat` only understands container-image configs and refuses ours.
    const listed = await run(umoci, ['ls', '--layout', layout]);
    expect(listed.stdout.trim().split('\n')).toEqual(['1.0.0']);
    const stat = await run(umoci, ['stat', '--image', `${layout}:1.0.0`]).then(
      () => 'accepted',
      (error: { stderr: string }) => error.stderr,
    );
    expect(stat).toMatch(
      /unknown config blob type: application\/vnd\.provisioning\.extension\.config\.v1\+json/,
    );
  });

  it('--oci-layout into a layout whose tag points elsewhere says the tag moved', async () => {
    const layout = join(box.root, 'layout-moved');
    const dir = join(box.root, 'moved', 'redis');
    cpSync(join(box.root, 'src-a', 'redis'), dir, { recursive: true });
    const first = await box.run([
      'oci',
      'package',
      dir,
      '--output',
      join(box.root, 'moved-out-1'),
      '--oci-layout',
      layout,
      '--json',
    ]);
    expect(first.code).toBe(0);
    writeFileSync(join(dir, 'docs', 'README.md'), '# redis\n\nchanged docs\n');
    const second = await box.run([
      'oci',
      'package',
      dir,
      '--output',
      join(box.root, 'moved-out-2'),
      '--oci-layout',
      layout,
    ]);
    expect(second.code).toBe(0);
    const firstDigest = JSON.parse(first.stdout).manifest.digest;
    expect(second.stdout).toContain(`  tag 1.0.0 moved (it pointed at ${firstDigest})`);
  });

  it('what lands in the layout, skopeo copies byte-for-byte into a real registry', async () => {
    registry = await startDistribution();
    const layout = join(box.root, 'layout');
    const ref = `${registry.host}/provisioning-extensions/redis:1.0.0`;
    await run(skopeo, ['copy', '--dest-tls-verify=false', `oci:${layout}:1.0.0`, `docker://${ref}`]);
    const fromRegistry = await run(skopeo, ['inspect', '--raw', '--tls-verify=false', `docker://${ref}`]);
    const fromLayout = await run(skopeo, ['inspect', '--raw', `oci:${layout}:1.0.0`]);
    expect(fromRegistry.stdout).toBe(fromLayout.stdout);
  });

  it('refuses an invalid extension with every problem and writes no tarball', async () => {
    const dir = join(box.root, 'bad', 'redis');
    cpSync(join(box.root, 'src-a', 'redis'), dir, { recursive: true });
    writeFileSync(join(dir, 'templates', 'oops.j2'), '{% include "missing.j2" %}\n');
    const result = await box.run(['oci', 'package', dir, '--output', join(box.root, 'bad-out')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      [
        `error: extension ${dir} is not valid (1 problem):`,
        '  templates/oops.j2:1:4: include target "missing.j2" does not exist in templates/',
        `  hint: fix the problems listed, then check with \`provisioning oci package validate ${dir}\``,
        '',
      ].join('\n'),
    );
  });
});
