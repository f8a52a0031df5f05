import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addModuleReference, setConfigValue, setModuleReference } from './module-list-edit.js';

let dir: string;
let file: string;
const original = `# Core system dependency
dependencies:
  extensions:
    source_type: "oci" # oci, gitea, local
    # Loaded extension modules
    modules:
      taskservs:
        - "oci://localhost:5000/provisioning-extensions/kubernetes:1.28.0" # the cluster
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ws-edit-'));
  file = join(dir, 'provisioning.yaml');
  await writeFile(file, original);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('config edits keep comments', () => {
  it('changes a module tag in place', async () => {
    const edit = await setModuleReference(
      file,
      'kubernetes',
      'oci://localhost:5000/provisioning-extensions/kubernetes:1.29.0',
    );
    expect(edit.changed).toBe(true);
    const text = await readFile(file, 'utf8');
    expect(text).toContain('# Core system dependency');
    expect(text).toContain('# oci, gitea, local');
    expect(text).toContain('# Loaded extension modules');
    expect(text).toContain('kubernetes:1.29.0" # the cluster');
  });

  it('adds a module to a new group and refuses the same name in another group', async () => {
    await addModuleReference(file, 'provider', 'aws:2.0.0');
    expect(await readFile(file, 'utf8')).toMatch(/providers:\n\s+- aws:2\.0\.0/);
    await expect(addModuleReference(file, 'cluster', 'aws:2.0.0')).rejects.toMatchObject({
      code: 'MODULE_DUPLICATE',
    });
    await expect(setModuleReference(file, 'nginx', 'nginx:1.0.0')).rejects.toMatchObject({
      code: 'MODULE_NOT_IN_CONFIG',
    });
  });

  it('finds a git module by its name and keeps its form', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'git-edit-'));
    try {
      const gitFile = join(dir, 'provisioning.yaml');
      await writeFile(
        gitFile,
        'dependencies:\n  extensions:\n    modules:\n      taskservs:\n        - "oci://localhost:5000/provisioning-extensions/etcd:3.5.9"\n        - "git+https://g.example/o/x.git#redis:1.0.0" # from git\n',
      );
      await setModuleReference(gitFile, 'redis', 'git+https://g.example/o/x.git#redis:1.1.0');
      const text = await readFile(gitFile, 'utf8');
      expect(text).toContain('- "git+https://g.example/o/x.git#redis:1.1.0" # from git');
      expect(text.match(/redis/g)).toHaveLength(1); // replaced, not added
      await addModuleReference(gitFile, 'taskserv', 'gitea://o/valkey#valkey:1.0.0');
      expect(await readFile(gitFile, 'utf8')).toContain('- "gitea://o/valkey#valkey:1.0.0"');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('sets a scalar key path', async () => {
    expect(await setConfigValue(file, ['dependencies', 'extensions', 'source_type'], 'local')).toBe(true);
    expect(await setConfigValue(file, ['dependencies', 'extensions', 'source_type'], 'local')).toBe(false);
    expect(await readFile(file, 'utf8')).toContain('# oci, gitea, local');
  });
});

describe('edits keep the way the file is written', () => {
  it('a flow list stays one line, and a new entry is written like its neighbours', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'flow-edit-'));
    try {
      const file = join(dir, 'provisioning.yaml');
      const long = `"${'a'.repeat(120)} b"`;
      await writeFile(
        file,
        `dependencies:\n  extensions:\n    note: ${long}\n    modules:\n      taskservs: ["oci://localhost:5000/provisioning-extensions/redis:1.0.0"]\n`,
      );
      await addModuleReference(file, 'taskserv', 'localhost:5000/provisioning-extensions/etcd:1.0.0');
      expect(await readFile(file, 'utf8')).toBe(
        `dependencies:\n  extensions:\n    note: ${long}\n    modules:\n      taskservs: ["oci://localhost:5000/provisioning-extensions/redis:1.0.0", "oci://localhost:5000/provisioning-extensions/etcd:1.0.0"]\n`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
