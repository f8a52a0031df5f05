import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Sandbox } from './support/run-cli.js';

const box = new Sandbox();
afterAll(() => box.cleanup());

/** Runs bash's completion function the way bash does on TAB, and returns COMPREPLY. */
function complete(script: string, words: string[]): string[] {
  const line = words.join(' ');
  const program = [
    `source ${JSON.stringify(script)}`,
    `COMP_WORDS=(${words.map((w) => JSON.stringify(w)).join(' ')})`,
    `COMP_CWORD=${words.length - 1}`,
    `COMP_LINE=${JSON.stringify(line)}`,
    '_provisioning_autocomplete',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a bash array expansion, not a template
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join('\n');
  const r = spawnSync('bash', ['-c', program], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  return [...new Set(r.stdout.split('\n').filter(Boolean))].sort();
}

describe('shell completion (@oclif/plugin-autocomplete)', () => {
  it('bash completes topics, commands and flags', async () => {
    const cache = join(box.root, 'cache');
    const setup = await box.run(['autocomplete', 'bash'], { env: { XDG_CACHE_HOME: cache } });
    expect(setup.code).toBe(0);
    expect(setup.stdout).toContain('provisioning autocomplete script bash');
    const script = join(cache, 'provisioning', 'autocomplete', 'functions', 'bash', 'provisioning.bash');
    expect(complete(script, ['provisioning', 'oc'])).toEqual(['oci', 'oci-registry']);
    expect(complete(script, ['provisioning', 'oci', 'pu'])).toEqual(['publish', 'pull', 'push']);
    expect(complete(script, ['provisioning', 'oci', 'push', '--reg'])).toEqual([
      '--registry',
      '--registry-config',
    ]);
  });

  it('zsh gets a completion function too', async () => {
    const cache = join(box.root, 'cache-zsh');
    const setup = await box.run(['autocomplete', 'zsh'], { env: { XDG_CACHE_HOME: cache } });
    expect(setup.code).toBe(0);
    const script = await box.run(['autocomplete', 'script', 'zsh'], { env: { XDG_CACHE_HOME: cache } });
    expect(script.stdout).toContain(join(cache, 'provisioning', 'autocomplete', 'zsh_setup'));
  });
});
