/**
 * `provisioning core publish [REF]` (docs/releasing.md, "Core"): the running core as one
 * deterministic artifact — config `application/vnd.provisioning.core.config.v1+json`, one
 * verified-tree layer, `artifactType` `application/vnd.provisioning.core.v1+json` — at
 * `REGISTRY/provisioning-core:vX.Y.Z`. A published version is immutable: the same content is a
 * no-op, other content is refused. `latest` moves when this is the highest version.
 */
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ContentTarget, type Descriptor, digestOf, reopenable } from '@provisioning/oci-client';
import { packVerifiedTree } from '@provisioning/packager';
import {
  Annotations,
  canonicalJson,
  MediaTypes,
  ProvisioningError,
  versionFromTag,
} from '@provisioning/schemas';
import semver from 'semver';
import { formatOpenedReference, type OciSession } from '../oci/oci-session.js';
import { isNotFound } from '../repository/not-found-error.js';
import { coreTarget, defaultCoreReference } from './core-reference.js';
import { stageCore } from './stage-core.js';

export interface PublishCoreOptions {
  /** The CLI to pack (holds bin/run.js, dist/, package.json). */
  cliRoot: string;
  /** Where to publish; default `REGISTRY/provisioning-core:vX.Y.Z`. */
  reference?: string;
  /** Layer mtime (default SOURCE_DATE_EPOCH, else 0). */
  sourceDateEpoch?: number;
}

export interface PublishCoreResult {
  version: string;
  reference: string;
  digest: string;
  layerDigest: string;
  layerSize: number;
  files: number;
  outcome: 'pushed' | 'unchanged';
  /** `latest` now points here. */
  latest: boolean;
}

export async function publishCore(
  session: OciSession,
  options: PublishCoreOptions,
): Promise<PublishCoreResult> {
  const work = await mkdtemp(join(tmpdir(), 'provisioning-core-'));
  try {
    const staging = join(work, 'core');
    await mkdir(staging);
    const staged = await stageCore(options.cliRoot, staging);
    const given = options.reference ?? defaultCoreReference(session.config.registry.value, staged.version);
    const { version } = coreTarget(given, session.config.registry.value);
    if (version !== staged.version) {
      throw new ProvisioningError(
        'CORE_VERSION_ARG_INVALID',
        `${given} names core ${version} but the running core is ${staged.version}`,
        {
          kind: 'usage',
          hint: `publish it as …/provisioning-core:v${staged.version}, or run the core ${version}`,
        },
      );
    }
    const tag = `v${version}`;
    const layerFile = join(work, 'core.tar.gz');
    const tree = await packVerifiedTree(staging, {
      name: 'provisioning-core',
      version,
      type: 'core',
      outFile: layerFile,
      ...(options.sourceDateEpoch !== undefined ? { sourceDateEpoch: options.sourceDateEpoch } : {}),
    });
    const created = new Date(tree.mtime * 1000).toISOString().replace('.000Z', 'Z');
    const configBytes = Buffer.from(
      canonicalJson({ name: 'provisioning-core', version, node: staged.node, entry: 'bin/run.js' }),
    );
    const config: Descriptor = {
      mediaType: MediaTypes.coreConfig,
      digest: digestOf(configBytes),
      size: configBytes.length,
    };
    const layer: Descriptor = {
      mediaType: MediaTypes.coreContent,
      digest: tree.digest,
      size: tree.size,
      annotations: { [Annotations.title]: `provisioning-core-${version}.tar.gz` },
    };
    const manifestBytes = Buffer.from(
      canonicalJson({
        schemaVersion: 2,
        mediaType: MediaTypes.ociImageManifest,
        artifactType: MediaTypes.coreArtifact,
        config,
        layers: [layer],
        annotations: {
          [Annotations.title]: 'provisioning-core',
          [Annotations.version]: version,
          [Annotations.created]: created,
        },
      }),
    );
    const manifest: Descriptor = {
      mediaType: MediaTypes.ociImageManifest,
      digest: digestOf(manifestBytes),
      size: manifestBytes.length,
      artifactType: MediaTypes.coreArtifact,
    };

    const opened = await session.open(given, { create: true });
    const target = opened.target;
    const reference = formatOpenedReference(opened, tag);
    const result = {
      version,
      reference,
      digest: manifest.digest,
      layerDigest: layer.digest,
      layerSize: layer.size,
      files: tree.files,
    };
    const previous = await resolveOrUndefined(target, tag);
    if (previous !== undefined && previous !== manifest.digest) {
      throw new ProvisioningError(
        'VERSION_EXISTS',
        `${reference} is already published with other content (${previous}); this core would make it ${manifest.digest}`,
        {
          kind: 'input',
          hint: 'a published core is immutable: bump the CLI version (changesets) and publish that',
          details: { reference, publishedDigest: previous, newDigest: manifest.digest },
        },
      );
    }
    if (previous === undefined) {
      if (!(await target.exists(config))) await target.push(config, configBytes);
      if (!(await target.exists(layer)))
        await target.push(
          layer,
          reopenable(() => createReadStream(layerFile)),
        );
      await target.push(manifest, manifestBytes, { tag });
    }
    const latest = await moveLatest(target, manifest, version);
    return { ...result, outcome: previous === undefined ? 'pushed' : 'unchanged', latest };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Points `latest` at `manifest` when `version` is the highest published release (prereleases never). */
async function moveLatest(target: ContentTarget, manifest: Descriptor, version: string): Promise<boolean> {
  if (semver.prerelease(version)) return false;
  const versions = (await target.tags())
    .map((t) => versionFromTag(t))
    .filter((v): v is string => v !== null && semver.prerelease(v) === null);
  if (versions.some((v) => semver.gt(v, version))) return false;
  const current = await resolveOrUndefined(target, 'latest');
  if (current !== manifest.digest) await target.tag(manifest, 'latest');
  return true;
}

async function resolveOrUndefined(target: ContentTarget, reference: string): Promise<string | undefined> {
  return target.resolve(reference).then(
    (d) => d.digest,
    (err: unknown) => {
      if (isNotFound(err)) return undefined;
      throw err;
    },
  );
}
