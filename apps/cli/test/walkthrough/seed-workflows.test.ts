/**
 * The architecture document's workflows, replayed with its own commands and syntax through the
 * built CLI, on each storage a user can have (docs/registry.md): the embedded default, the
 * registry `oci-registry start` runs, and CNCF Distribution with htpasswd auth.
 *
 * One story per backend, in the document's order: Extension Development Workflow steps 1–5, the
 * dependency commands, every `oci` command, Phase 2 migration. Between steps it checks that the
 * storage a user sees stays the same across read-only and failing steps, and that a failing step
 * changes no file (workspace, home and the registry's own storage, hashed).
 */
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { treeSnapshot } from '../support/file-tree.js';
import { type CliResult, expectNoStackOrBox, Sandbox } from '../support/run-cli.js';
import {
  type Backend,
  embedded,
  htpasswdDistribution,
  json,
  localRegistry,
  PASSWORD,
  tableRows,
  USER,
} from './backends.js';

const NS = 'provisioning-extensions';
const EXT = './extensions/taskservs/redis';

describe.each([embedded(), localRegistry(), htpasswdDistribution()])(
  'the document on $name',
  (backend: Backend) => {
    const box = new Sandbox();
    const at = (...parts: string[]) => join(box.root, ...parts);
    const ref = (tag: string) => `${backend.host}/${NS}/redis:${tag}`;
    const run = (args: string[], options: { cwd?: string; input?: string } = {}) =>
      box.run(args, { env: backend.env, cwd: options.cwd ?? box.root, input: options.input });

    beforeAll(() => backend.start(box));
    afterAll(async () => {
      await backend.stop(box);
      box.cleanup();
    });

    /** What a user sees of the storage: the catalogue and redis's tags. */
    async function storage(): Promise<unknown> {
      const [list, tags] = await Promise.all([
        run(['oci', 'list', '--json']),
        run(['oci', 'tags', 'redis', '--json']),
      ]);
      expect(list.code, list.stderr).toBe(0);
      expect(tags.code, tags.stderr).toBe(0);
      return { list: json(list), tags: json(tags) };
    }

    /**
     * Every file of the user's; `withCache: false` leaves out the caches a successful read may fill:
     * downloads, and the recorded answer of a no-op `dep resolve` (docs/dependencies.md).
     */
    const files = async (withCache: boolean) => {
      const all = await treeSnapshot(box.root, ...backend.storageRoots);
      const cache = `0:${relative(box.root, join(box.home, 'oci-cache'))}/`;
      const isCache = (path: string) =>
        path.startsWith(cache) || path.endsWith('/.provisioning/noop-answers.json');
      return withCache ? all : Object.fromEntries(Object.entries(all).filter(([path]) => !isCache(path)));
    };

    /**
     * Runs `step`, which must leave every file as it was (with `strict` false the cache aside: a
     * successful read may fill it), and the storage too once something is published.
     */
    async function changesNothing<T>(step: () => Promise<T>, published = true, strict = false): Promise<T> {
      const [filesBefore, storageBefore] = [await files(strict), published ? await storage() : undefined];
      const result = await step();
      expect(await files(strict)).toEqual(filesBefore);
      if (published) expect(await storage()).toEqual(storageBefore);
      return result;
    }

    type Failure = { code: string; exit: number; message?: RegExp; hint?: RegExp };

    /** A failing command: one `error:` line (the items it lists and the hint indented), its code and exit status. */
    async function failing(
      args: string[],
      expected: Failure,
      options: { cwd?: string; input?: string } = {},
    ): Promise<CliResult> {
      // --json prints the error object on stdout and the same text a user reads on stderr
      const result = await run([...args, '--json'], options);
      expect(result.code, result.stderr).toBe(expected.exit);
      expect(json(result).error?.code, result.stderr).toBe(expected.code);
      const [line, ...rest] = result.stderr.trimEnd().split('\n');
      expect(line).toMatch(/^error: /);
      if (expected.message) expect(line).toMatch(expected.message);
      expect(
        rest.filter((l) => !l.startsWith('  ')),
        result.stderr,
      ).toEqual([]);
      if (expected.hint) expect(rest.join('\n')).toMatch(expected.hint);
      expect(expectNoStackOrBox(result.stderr)).toEqual([]);
      return result;
    }

    /** Failing steps, which together change no file at all (the cache included) and nothing in the storage. */
    async function fails(
      args: string[],
      expected: Failure,
      options: { cwd?: string; input?: string; published?: boolean } = {},
    ): Promise<CliResult> {
      return changesNothing(() => failing(args, expected, options), options.published ?? true, true);
    }

    /** Several failing steps in a row, which together change no file and nothing in the storage. */
    const allFail = (steps: () => Promise<unknown>, published = true) =>
      changesNothing(steps, published, true);

    const ok = async (args: string[], options: { cwd?: string; input?: string } = {}) => {
      const result = await run(args, options);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
      return result;
    };

    /** Where output says content went: the embedded storage by path, a registry never as "embedded". */
    const expectStorageLine = (stdout: string) => {
      if (backend.embedded)
        expect(stdout).toContain(
          `storage ${box.home}/oci-registry  (the embedded storage: no registry is running)`,
        );
      else expect(stdout).not.toContain('embedded storage');
    };

    describe('Extension Development Workflow', () => {
      it('1. generate extension taskserv redis creates the documented layout, version 1.0.0', async () => {
        const result = await ok(['generate', 'extension', 'taskserv', 'redis']);
        expect(result.stdout).toContain('extensions/taskservs/redis');
        for (const file of [
          'kcl/kcl.mod',
          'kcl/redis.k',
          'kcl/version.k',
          'kcl/dependencies.k',
          'scripts/install.nu',
          'scripts/check.nu',
          'scripts/uninstall.nu',
          'templates',
          'docs/README.md',
          'tests',
          'manifest.yaml',
        ])
          expect(existsSync(at(EXT, file)), file).toBe(true);
        expect(readFileSync(at(EXT, 'manifest.yaml'), 'utf8')).toMatch(/^version: 1\.0\.0$/m);
        // generating over it is refused and touches none of it
        await fails(
          ['generate', 'extension', 'taskserv', 'redis'],
          { code: 'TARGET_EXISTS', exit: 1 },
          { published: false },
        );
      });

      it('2. module load taskserv workspace_dev redis --source local; a typo changes nothing', async () => {
        await ok(['workspace', 'init', 'workspace_dev', '--registry', backend.host]);
        const config = () => readFileSync(at('workspace_dev', 'config', 'provisioning.yaml'), 'utf8');
        await fails(
          ['module', 'load', 'taskserv', 'workspace_dev', 'rediss', '--source', 'local'],
          {
            code: 'MODULE_NOT_FOUND',
            exit: 1,
            message: /rediss.*\(did you mean redis\?\)$/,
            hint: /check the name/,
          },
          { published: false },
        );
        const loaded = await ok([
          'module',
          'load',
          'taskserv',
          'workspace_dev',
          'redis',
          '--source',
          'local',
        ]);
        expect(loaded.stdout).toContain(`loaded taskserv redis 1.0.0 (local) into ${at('workspace_dev')}`);
        expect(config()).toContain(`${ref('1.0.0')}`);
        expect(config()).toMatch(/path: "?\.\.\/extensions"?/);
      });

      it('2. taskserv create redis --infra test-env --check renders the infra settings and writes nothing', async () => {
        mkdirSync(at('workspace_dev', 'infra', 'test-env'), { recursive: true });
        writeFileSync(
          at('workspace_dev', 'infra', 'test-env', 'settings.yaml'),
          'taskservs:\n  redis:\n    port: 6380\n',
        );
        const planned = await changesNothing(
          () =>
            ok(['taskserv', 'create', 'redis', '--infra', 'test-env', '--check'], {
              cwd: at('workspace_dev'),
            }),
          false,
        );
        expect(planned.stdout).toContain(
          'taskserv redis 1.0.0 for infra test-env (dry run, nothing written)',
        );
        expect(planned.stdout).toMatch(/^port 6380$/m);
        await fails(
          ['taskserv', 'create', 'redis', '--infra', 'prod-env', '--check'],
          { code: 'INFRA_NOT_FOUND', exit: 1, message: /prod-env/ },
          { cwd: at('workspace_dev'), published: false },
        );
      });

      it('2. test extension redis passes and writes nothing', async () => {
        const tested = await changesNothing(() => ok(['test', 'extension', 'redis']), false);
        expect(tested.stdout).toMatch(/^\d+ passed, 0 failed$/m);
      });

      it('3. oci package validate, then oci package gives redis-1.0.0.tar.gz', async () => {
        const valid = await changesNothing(() => ok(['oci', 'package', 'validate', EXT]), false);
        expect(valid.stdout).toContain(`${EXT}: valid taskserv redis 1.0.0`);
        const packaged = await ok(['oci', 'package', EXT]);
        expect(packaged.stdout.split('\n')[0]).toBe('redis-1.0.0.tar.gz');
        expect(existsSync(at('redis-1.0.0.tar.gz'))).toBe(true);
      });

      it('4. oci login, then oci push … redis 1.0.0 and oci tags redis print the document table', async () => {
        if (backend.embedded) {
          // nothing to log in to: the embedded storage needs no credentials, and says so
          await fails(
            ['oci', 'login', 'localhost:5000'],
            { code: 'LOGIN_NO_REGISTRY', exit: 1 },
            { published: false },
          );
        } else if (backend.needsLogin) {
          await allFail(async () => {
            await failing(['oci', 'push', EXT, 'redis', '1.0.0'], {
              code: 'UNAUTHORIZED',
              exit: 3,
              hint: /oci login/,
            });
            await failing(
              ['oci', 'login', backend.host, '--username', USER, '--password-stdin'],
              { code: 'LOGIN_FAILED', exit: 3 },
              { input: 'not-the-password\n' },
            );
          }, false);
          const login = await ok(['oci', 'login', backend.host, '--username', USER, '--password-stdin'], {
            input: `${PASSWORD}\n`,
          });
          expect(login.stdout + login.stderr).not.toContain(PASSWORD);
        } else {
          // the document's form: a token user and the secret on stdin ("No authentication by default")
          await ok(['oci', 'login', backend.host, '--username', '_token', '--password-stdin'], {
            input: 'token\n',
          });
        }

        const pushed = await ok(['oci', 'push', EXT, 'redis', '1.0.0']);
        expect(pushed.stdout.split('\n')[0]).toBe(`pushed ${ref('1.0.0')}`);
        expectStorageLine(pushed.stdout);

        const tags = await ok(['oci', 'tags', 'redis']);
        expect(tableRows(tags.stdout)).toEqual([
          ['artifact', 'version', 'reference'],
          ['redis', '1.0.0', ref('1.0.0')],
        ]);
        expectStorageLine(tags.stdout);
      });

      it('4. a re-push of 1.0.0: the same content is a no-op, other content is refused naming both digests', async () => {
        const same = await changesNothing(() => ok(['oci', 'push', EXT, 'redis', '1.0.0']));
        expect(same.stdout).toContain(
          `${ref('1.0.0')} is already published with this content; nothing pushed`,
        );

        cpSync(at(EXT), at('changed', 'redis'), { recursive: true });
        appendFileSync(at('changed', 'redis', 'docs', 'README.md'), '\nA local edit.\n');
        await fails(['oci', 'push', './changed/redis', 'redis', '1.0.0'], {
          code: 'VERSION_EXISTS',
          exit: 1,
          message: /sha256:[0-9a-f]{64}.*sha256:[0-9a-f]{64}/,
          hint: /--force/,
        });
      });

      it('5. the published extension in workspace/config/provisioning.yaml: dep resolve installs it', async () => {
        await ok(['workspace', 'init', 'workspace', '--registry', backend.host]);
        // the reproduction: a mistyped module from the registry changes nothing
        await fails(['module', 'load', 'taskserv', 'workspace', 'rediss'], {
          code: 'MODULE_NOT_FOUND',
          exit: 1,
          message: /rediss.*\(did you mean redis\?\)$/,
        });
        const file = at('workspace', 'config', 'provisioning.yaml');
        const config = readFileSync(file, 'utf8');
        expect(config).toContain('      taskservs: []');
        writeFileSync(
          file,
          config.replace('      taskservs: []', `      taskservs:\n        - "oci://${ref('1.0.0')}"`),
        );

        const resolved = await ok(['dep', 'resolve'], { cwd: at('workspace') });
        expect(tableRows(resolved.stdout)[1]).toEqual([
          'redis',
          'taskserv',
          '1.0.0',
          'install',
          ref('1.0.0'),
        ]);
        expect(resolved.stdout).toContain(
          `installed 1 module (1 changed) into ${at('workspace', '.provisioning', 'extensions')}`,
        );
        expectStorageLine(resolved.stdout);
        expect(readFileSync(at('workspace', 'config', 'provisioning.lock'), 'utf8')).toContain(ref('1.0.0'));
        expect(
          existsSync(at('workspace', '.provisioning', 'extensions', 'taskservs', 'redis', 'manifest.yaml')),
        ).toBe(true);
      });
    });

    describe('Dependency Resolution Commands', () => {
      const inWorkspace = { cwd: '' };
      beforeAll(() => {
        inWorkspace.cwd = at('workspace');
      });

      it('dep validate, dep tree, dep why and dep check-updates read and change nothing', async () => {
        await changesNothing(async () => {
          const valid = await ok(['dep', 'validate'], inWorkspace);
          expect(valid.stdout).toMatch(/^ok: 1 module; config, lockfile, graph and installed files agree$/m);
          const tree = await ok(['dep', 'tree', 'redis'], inWorkspace);
          expect(tree.stdout.trim()).toBe('redis 1.0.0');
          const why = await ok(['dep', 'why', 'redis'], inWorkspace);
          expect(why.stdout).toContain('your workspace → redis 1.0.0');
          const updates = await ok(['dep', 'check-updates'], inWorkspace);
          expect(updates.stdout.trim()).toBe('all modules are up to date');
          await failing(['dep', 'why', 'rediss'], { code: 'PACKAGE_NOT_IN_GRAPH', exit: 1 }, inWorkspace);
        });
      });

      it('a newer version (oci publish): dep check-updates shows it, dep update redis takes it', async () => {
        for (const [file, from, to] of [
          ['manifest.yaml', 'version: 1.0.0', 'version: 1.1.0'],
          ['kcl/kcl.mod', 'version = "1.0.0"', 'version = "1.1.0"'],
          ['kcl/version.k', '"1.0.0"', '"1.1.0"'],
        ] as const) {
          const path = at(EXT, file);
          const text = readFileSync(path, 'utf8');
          expect(text, file).toContain(from);
          writeFileSync(path, text.replace(from, to));
        }
        const published = await ok(['oci', 'publish', EXT]);
        expect(published.stdout.split('\n')[0]).toBe(`published ${ref('1.1.0')}`);

        const updates = await changesNothing(() => ok(['dep', 'check-updates'], inWorkspace));
        expect(tableRows(updates.stdout)).toEqual([
          ['name', 'type', 'current', 'wanted', 'latest'],
          ['redis', 'taskserv', '1.0.0', '1.0.0', '1.1.0'],
        ]);
        const updated = await ok(['dep', 'update', 'redis'], inWorkspace);
        expect(updated.stdout).toContain('redis: 1.0.0 → 1.1.0 (pin updated in config/provisioning.yaml)');
        expect(readFileSync(at('workspace', 'config', 'provisioning.yaml'), 'utf8')).toContain(
          `"oci://${ref('1.1.0')}"`,
        );
        expect(readFileSync(at('workspace', 'config', 'provisioning.lock'), 'utf8')).toContain(ref('1.1.0'));
      });

      it('dep resolve --frozen with a lock out of date fails changing nothing; after dep resolve it passes', async () => {
        const file = at('workspace', 'config', 'provisioning.yaml');
        writeFileSync(file, readFileSync(file, 'utf8').replace(ref('1.1.0'), ref('1.0.0')));
        await fails(
          ['dep', 'resolve', '--frozen'],
          {
            code: 'LOCK_STALE',
            exit: 1,
            message: /provisioning\.lock does not match the config/,
            hint: /without --frozen/,
          },
          inWorkspace,
        );
        const resolved = await ok(['dep', 'resolve'], inWorkspace);
        expect(tableRows(resolved.stdout)[1]?.slice(0, 4)).toEqual([
          'redis',
          'taskserv',
          '1.0.0',
          'downgrade (from 1.1.0)',
        ]);
        const frozen = await changesNothing(() => ok(['dep', 'resolve', '--frozen'], inWorkspace));
        expect(frozen.stdout).toContain('everything is up to date (1 module)');
      });
    });

    describe('OCI Client Operations', () => {
      it('oci pull, list, search, inspect and config read and change nothing in the storage', async () => {
        mkdirSync(at('pulls'));
        await allFail(async () => {
          await failing(['oci', 'pull', 'rediss:1.0.0'], {
            code: 'REPOSITORY_NOT_FOUND',
            exit: 1,
            hint: /did you mean redis\?/,
          });
          await failing(['oci', 'pull', 'redis:9.9.9'], {
            code: 'TAG_NOT_FOUND',
            exit: 1,
            message: /has no version 9\.9\.9/,
          });
        });
        // a pull writes only where it was asked to: the storage stays as it was
        const storageBefore = await storage();
        const pulled = await ok(['oci', 'pull', 'redis:1.0.0'], { cwd: at('pulls') });
        expect(await storage()).toEqual(storageBefore);
        expect(pulled.stdout.split('\n')[0]).toMatch(
          new RegExp(`^pulled ${ref('1.0.0').replaceAll('.', '\\.')}( |$)`),
        );
        expect(pulled.stdout).toContain(`into    ${at('pulls', 'redis')}`);
        expect(readFileSync(at('pulls', 'redis', 'templates', 'redis.conf.j2'), 'utf8')).toBe(
          readFileSync(at('changed', 'redis', 'templates', 'redis.conf.j2'), 'utf8'),
        );

        await changesNothing(async () => {
          const listed = await ok(['oci', 'list', '--namespace', NS]);
          expect(tableRows(listed.stdout)).toEqual([
            ['artifact', 'latest version', 'reference'],
            ['redis', '1.1.0', ref('1.1.0')],
          ]);
          expectStorageLine(listed.stdout);
          const found = await ok(['oci', 'search', 'redis']);
          expect(tableRows(found.stdout)[1]?.slice(0, 3)).toEqual(['redis', '1.1.0', 'taskserv']);
          const inspected = await ok(['oci', 'inspect', 'redis:1.0.0']);
          expect(inspected.stdout.split('\n')[0]).toBe(ref('1.0.0'));
          expect(inspected.stdout).toMatch(/^ {2}version +1\.0\.0$/m);
          const config = await ok(['oci', 'config']);
          expect(config.stdout).toMatch(new RegExp(`^ {2}registry: "${backend.host}"`, 'm'));
          expect(config.stdout).toMatch(
            new RegExp(`^ {2}registry_type: "${backend.embedded ? 'oci-layout' : 'oci'}"`, 'm'),
          );
        });
      });

      it('oci copy between references, and to an OCI layout directory', async () => {
        const copied = await ok(['oci', 'copy', ref('1.1.0'), ref('latest')]);
        expect(copied.stdout.split('\n')[0]).toBe(`copied ${ref('1.1.0')} → ${ref('latest')}`);
        const tags = await ok(['oci', 'tags', 'redis', '--json']);
        expect((json(tags).tags as { version: string }[]).map((t) => t.version).sort()).toEqual([
          '1.0.0',
          '1.1.0',
          'latest',
        ]);

        // to another storage, as the document copies to harbor.company.com: here an OCI layout directory
        await ok(['oci', 'copy', 'redis:1.0.0', 'oci-layout:./airgap/redis']);
        expect(existsSync(at('airgap', 'redis', 'index.json'))).toBe(true);
        const fromLayout = await ok(['oci', 'inspect', 'oci-layout:./airgap/redis:1.0.0', '--json']);
        expect((json(fromLayout) as { digest: string }).digest).toBe(
          (json(await ok(['oci', 'inspect', 'redis:1.0.0', '--json'])) as { digest: string }).digest,
        );
      });

      it('oci delete: a missing tag changes nothing; a tag shared with a version is removed alone or refused', async () => {
        await allFail(async () => {
          await failing(['oci', 'delete', 'redis:9.9.9', '--yes'], { code: 'TAG_NOT_FOUND', exit: 1 });
          await failing(['oci', 'delete', 'rediss:1.0.0', '--yes'], {
            code: 'REPOSITORY_NOT_FOUND',
            exit: 1,
          });
        });
        if (backend.embedded) {
          // the embedded storage can untag: latest goes, 1.1.0 stays
          const deleted = await ok(['oci', 'delete', 'redis:latest', '--yes']);
          expect(deleted.stdout).toContain(`deleted tag ${ref('latest')}`);
          expectStorageLine(deleted.stdout);
          await ok(['oci', 'delete', 'redis:1.1.0', '--yes']);
        } else {
          // a registry deletes by digest: refused, naming the other tag, unless --all-tags
          await fails(['oci', 'delete', 'redis:latest', '--yes'], {
            code: 'DELETE_SHARED_DIGEST',
            exit: 1,
            message: /would also delete 1\.1\.0/,
            hint: /--all-tags/,
          });
          await ok(['oci', 'delete', 'redis:latest', '--yes', '--all-tags']);
        }
        const tags = await ok(['oci', 'tags', 'redis']);
        expect(tableRows(tags.stdout).slice(1)).toEqual([['redis', '1.0.0', ref('1.0.0')]]);
        // what is installed does not depend on the registry any more
        const valid = await ok(['dep', 'validate'], { cwd: at('workspace') });
        expect(valid.stdout).toContain('agree');
      });
    });

    describe('Migration from Monorepo, Phase 2', () => {
      const legacy = `# workspace_prod: still on the monorepo's extensions directory
dependencies:
  extensions:
    source_type: "local"
    local:
      path: "../extensions"
    modules:
      taskservs:
        - "redis:1.1.0"
`;

      it('migrate-to-oci refuses while a module is unpublished, changing nothing', async () => {
        box.workspace('workspace_prod', legacy);
        await fails(['workspace', 'migrate-to-oci', 'workspace_prod'], {
          code: 'MIGRATION_INCOMPLETE',
          exit: 1,
          message: /redis:1\.1\.0/,
          hint: /--publish/,
        });
      });

      it('oci publish each extension, then workspace migrate-to-oci workspace_prod, then dep resolve', async () => {
        // for ext in (ls provisioning/extensions/taskservs) { provisioning oci publish $ext.name }
        for (const name of readdirSync(at('extensions', 'taskservs'))) {
          const published = await ok(['oci', 'publish', `extensions/taskservs/${name}`]);
          expect(published.stdout.split('\n')[0]).toBe(`published ${ref('1.1.0')}`);
        }
        const migrated = await ok(['workspace', 'migrate-to-oci', 'workspace_prod', '--json']);
        expect(json(migrated)).toMatchObject({ from: 'local', changed: true });
        const config = readFileSync(at('workspace_prod', 'config', 'provisioning.yaml'), 'utf8');
        expect(config).toContain(`"oci://${ref('1.1.0')}"`);
        expect(config).toContain('source_type: "oci"');
        expect(config).toContain("# workspace_prod: still on the monorepo's extensions directory");

        const again = await changesNothing(() =>
          ok(['workspace', 'migrate-to-oci', 'workspace_prod', '--json']),
        );
        expect(json(again).changed).toBe(false);
        const resolved = await ok(['dep', 'resolve', '--workspace', 'workspace_prod']);
        expect(tableRows(resolved.stdout)[1]).toEqual([
          'redis',
          'taskserv',
          '1.1.0',
          'install',
          ref('1.1.0'),
        ]);
      });
    });

    describe('oci logout', () => {
      it('logs out; a registry that asks for credentials then refuses, changing nothing', async () => {
        const out = await ok(['oci', 'logout', backend.host]);
        if (backend.embedded) expect(out.stdout.trim()).toBe(`Not logged in to ${backend.host}`);
        else
          expect(
            existsSync(join(box.home, 'credentials.json'))
              ? readFileSync(join(box.home, 'credentials.json'), 'utf8')
              : '',
          ).not.toContain(backend.host);
        if (backend.needsLogin)
          await fails(
            ['oci', 'tags', 'redis'],
            { code: 'UNAUTHORIZED', exit: 3, hint: /oci login/ },
            { published: false },
          );
        else expect(tableRows((await ok(['oci', 'tags', 'redis'])).stdout)).toHaveLength(3);
      });
    });

    describe('Local Registry (Solo Development): one storage, whichever backend runs', () => {
      it('with no registry running, the embedded storage holds what was published, and nothing of another registry', async () => {
        if (backend.needsLogin)
          await ok(['oci', 'login', backend.host, '--username', USER, '--password-stdin'], {
            input: `${PASSWORD}\n`,
          });
        const seen = await ok(['oci', 'tags', 'redis', '--json']);
        // outside any workspace (none above it either), no registry configured: the embedded default
        const outside = { cwd: mkdtempSync(join(tmpdir(), 'prov-outside-')) };
        await box.run(['oci-registry', 'stop'], outside);
        const status = await box.run(['oci-registry', 'status'], outside);
        expect(status.code, status.stdout).toBe(1);
        expect(status.stdout).toContain('not running: commands use the embedded storage directly');
        const embeddedView = await box.run(['oci', 'tags', 'redis', '--json'], outside);
        if (backend.sharesEmbeddedStorage) {
          expect(embeddedView.code, embeddedView.stderr).toBe(0);
          expect(json(embeddedView)).toEqual(
            json({ ...seen, stdout: seen.stdout.replaceAll(backend.host, 'localhost:5000') }),
          );
        } else {
          // what went to the registry went there only, never silently into the embedded storage
          expect(embeddedView.code).toBe(1);
          expect(json(embeddedView).error?.code).toBe('REPOSITORY_NOT_FOUND');
        }
        rmSync(outside.cwd, { recursive: true });
      });
    });
  },
);
