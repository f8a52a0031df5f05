/**
 * Every sample extension's install.nu --check, run through `TYPE create NAME --infra test-env
 * --check` with the real nu, on a workspace that takes the samples from the repository's
 * extensions/ directory and the example infra settings: each prints the steps it would take and
 * nothing on the host changes.
 */
import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_ROOT, Sandbox } from './support/run-cli.js';

const REPO = resolve(CLI_ROOT, '..', '..');
const box = new Sandbox();
const ws = box.workspace(
  'ws',
  `dependencies:\n  extensions:\n    source_type: local\n    local:\n      path: ${join(REPO, 'extensions')}\n`,
);
mkdirSync(join(ws, 'infra'), { recursive: true });
cpSync(join(REPO, 'examples', 'workspace', 'infra', 'test-env'), join(ws, 'infra', 'test-env'), {
  recursive: true,
});
afterAll(() => box.cleanup());

const samples = readdirSync(join(REPO, 'extensions')).flatMap((dir) =>
  readdirSync(join(REPO, 'extensions', dir)).map((name) => ({ type: dir.replace(/s$/, ''), name })),
);

describe('sample install.nu --check through create --check', () => {
  it.each(samples)('$type $name prints its steps', async ({ type, name }) => {
    const result = await box.run([type, 'create', name, '--infra', 'test-env', '--check'], { cwd: ws });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`==> ${type} ${name} `);
    // the sample scripts print each action as `[check] CMD ARGS`
    expect(result.stdout).toMatch(new RegExp(`^${name} \\| \\[check\\] \\S+`, 'm'));
    expect(result.stdout).toContain('nothing was changed');
    expect(existsSync(join(ws, 'infra', 'test-env', 'state.yaml'))).toBe(false);
    if (name === 'redis') {
      // the steps of extensions/taskservs/redis/scripts/install.nu, with port 6380 from the infra
      expect(result.stdout).toContain(
        'redis | [check] apt-get install -y --no-install-recommends redis-server redis-tools',
      );
      expect(result.stdout).toContain('redis | [check] systemctl restart redis-server');
      expect(result.stdout).toContain('redis | redis listening on 127.0.0.1:6380');
    }
  });
});
