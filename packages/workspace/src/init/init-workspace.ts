/**
 * `workspace init`: a new workspace in the seed's layout — `config/provisioning.yaml` (the seed's
 * format, with comments and the editor modeline) and `infra/`. Nothing is written into a
 * non-empty directory unless forced, the config is validated before it is written, and a failure
 * removes what this call created.
 */
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import {
  makeDirectory,
  ProvisioningError,
  parseYaml,
  pathExists,
  workspaceConfigSchema,
  writeFileAtomic,
} from '@provisioning/schemas';
import { WORKSPACE_CONFIG_FILE } from '../config/discover.js';
import { parseRegistryEndpoint } from '../config/registry-host.js';
import { workspaceConfigText } from './workspace-template.js';

export interface InitWorkspaceOptions {
  /** Directory to create or fill (created when missing). */
  dir: string;
  /** Workspace name for the header comment (default: the directory's name). */
  name?: string;
  /** Extensions registry `host[:port]` (default `localhost:5000`). */
  registry?: string;
  /** List the seed example's modules instead of none. */
  fromExample?: boolean;
  /** Write into a non-empty directory (an existing config is replaced). */
  force?: boolean;
  /** The running core version, pinned in `dependencies.core.source`. */
  coreVersion: string;
}

export interface InitWorkspaceResult {
  dir: string;
  name: string;
  config: string;
  /** Paths created, relative to `dir`. */
  created: string[];
}

/** The seed's example modules (multi-repo architecture, "Workspace Configuration"). */
const EXAMPLE_MODULES = {
  providers: ['aws:2.0.0', 'upcloud:1.5.0'],
  taskservs: ['kubernetes:1.28.0', 'containerd:1.7.0', 'cilium:1.14.0'],
  clusters: ['buildkit:0.12.0'],
};

export async function initWorkspace(options: InitWorkspaceOptions): Promise<InitWorkspaceResult> {
  const dir = resolve(options.dir);
  const name = options.name ?? basename(dir);
  const endpoint = parseRegistryEndpoint(options.registry ?? 'localhost:5000', {
    where: '--registry',
    code: 'FLAG_INVALID',
  });
  const registry = endpoint.host;
  const existed = await refuseNonEmpty(dir, options.force === true);

  const modules = options.fromExample
    ? (Object.fromEntries(
        Object.entries(EXAMPLE_MODULES).map(([type, refs]) => [
          type,
          refs.map((ref) => `oci://${registry}/provisioning-extensions/${ref}`),
        ]),
      ) as typeof EXAMPLE_MODULES)
    : undefined;
  const text = workspaceConfigText({
    name,
    registry,
    coreVersion: options.coreVersion,
    ...(endpoint.tls === undefined ? {} : { tls: endpoint.tls }),
    ...(modules ? { modules } : {}),
  });
  const config = join(dir, WORKSPACE_CONFIG_FILE);
  // What we are about to write must load as written (a bad --registry is refused here, not later).
  parseYaml(text, workspaceConfigSchema, { file: config });

  const created: string[] = [];
  try {
    if (!existed) {
      await makeDirectory(dir);
      created.push('.');
    }
    for (const sub of ['config', 'infra']) {
      if (!(await pathExists(join(dir, sub)))) {
        await mkdir(join(dir, sub));
        created.push(sub);
      }
    }
    await writeFileAtomic(config, text);
    created.push(WORKSPACE_CONFIG_FILE);
    if (!(await pathExists(join(dir, '.gitignore')))) {
      await writeFileAtomic(
        join(dir, '.gitignore'),
        '# installed extensions (rebuilt by `provisioning dep resolve`)\n.provisioning/\n',
      );
      created.push('.gitignore');
    }
  } catch (error) {
    // Leave the directory as it was: remove what this call created, newest first.
    for (const path of created.reverse()) await rm(join(dir, path), { recursive: true, force: true });
    throw error;
  }
  return { dir, name, config, created: created.filter((p) => p !== '.') };
}

async function refuseNonEmpty(dir: string, force: boolean): Promise<boolean> {
  let entries: string[];
  try {
    const info = await stat(dir);
    if (!info.isDirectory()) {
      throw new ProvisioningError(
        'WORKSPACE_INIT_REFUSED',
        `cannot create a workspace at ${dir}: it is a file`,
        {
          kind: 'input',
          hint: 'choose another directory',
          details: { path: dir },
        },
      );
    }
    entries = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  if (entries.length > 0 && !force) {
    throw new ProvisioningError(
      'WORKSPACE_INIT_REFUSED',
      `${dir} is not empty (${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}); nothing was written`,
      {
        kind: 'input',
        hint: 'choose an empty or new directory, or pass --force to add the workspace files to it',
        details: { path: dir },
      },
    );
  }
  return true;
}
