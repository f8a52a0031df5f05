/**
 * `provisioning platform image build` (docs/platform.md, "Images"): one platform app's built bundle
 * as one layer on a Node base image, pushed as `REGISTRY/provisioning-platform/<app>:vX.Y.Z` (the
 * reference a workspace's `platform.images` pins) or written as an OCI image layout. Everything
 * that can be checked is checked before anything is written: the bundle, the base, the layer.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  buildImage,
  type CopyProgressEvent,
  DEFAULT_PLATFORM,
  formatPlatform,
  parsePlatform,
  readBaseImage,
} from '@provisioning/oci-client';
import { packDirectoryLayer } from '@provisioning/packager';
import { Annotations, appInstallDir, type PlatformApp, ProvisioningError } from '@provisioning/schemas';
import semver from 'semver';
import { whenFound } from '../oci/not-found.js';
import { formatOpenedReference, type OciSession } from '../oci/oci-session.js';
import { type ImageOutput, openLayoutOutput, openRegistryOutput } from './image-output.js';

export interface BuildPlatformImageOptions {
  app: PlatformApp;
  /** The base image: `host/ns/name:tag`, `…@sha256:…` or `oci-layout:PATH:TAG`. */
  base: string;
  /** The app's built bundle; default {@link defaultAppDir} under `cwd`. */
  appDir?: string;
  /** The bundle's entry file, relative to it (default `index.js`). */
  entry?: string;
  /** Semver, with or without the leading `v`; the tag is `vX.Y.Z`. */
  version: string;
  /** Write an OCI image layout here… */
  output?: string;
  /** …or push to the configured registry. */
  push?: boolean;
  /** `os/arch[/variant]` picked from a base index (default linux/amd64). */
  platform?: string;
  /** More `KEY=VALUE` environment for the container. */
  env?: string[];
  /** Layer mtime (default SOURCE_DATE_EPOCH, else 0): the same inputs give the same digest. */
  sourceDateEpoch?: number;
  cwd?: string;
  onProgress?(event: CopyProgressEvent): void;
}

export interface BuildPlatformImageResult {
  app: PlatformApp;
  /** Where the image went: `host/ns/app:vX.Y.Z` or `oci-layout:DIR:vX.Y.Z`. */
  destination: string;
  digest: string;
  mediaType: string;
  size: number;
  platform: string;
  base: { reference: string; digest: string };
  layer: { digest: string; size: number; diffId: string; files: number };
  entrypoint: string[];
}

export async function buildPlatformImage(
  session: OciSession,
  options: BuildPlatformImageOptions,
): Promise<BuildPlatformImageResult> {
  const { app } = options;
  const tag = versionTag(options.version);
  if (Boolean(options.output) === Boolean(options.push)) {
    throw new ProvisioningError('FLAGS_CONFLICT', 'give exactly one of --output DIR and --push', {
      kind: 'usage',
      hint: '--output writes an OCI image layout; --push sends the image to the configured registry',
    });
  }
  const appDir = resolve(options.cwd ?? process.cwd(), options.appDir ?? defaultAppDir(app));
  const entry = options.entry ?? 'index.js';
  await checkBundle(app, appDir, entry, options.appDir === undefined);
  const platform = options.platform ? parsePlatform(options.platform) : DEFAULT_PLATFORM;
  for (const entry of options.env ?? []) checkEnvEntry(entry);

  const opened = await session.open(options.base);
  if (!opened.reference) {
    throw new ProvisioningError('FLAG_INVALID', `--base ${options.base} names no tag or digest`, {
      kind: 'usage',
      hint: 'name the base version, e.g. REGISTRY/library/node:20 or REGISTRY/library/node@sha256:<hex>',
    });
  }
  const baseName = formatOpenedReference(opened, opened.reference);
  // Only the reference's absence is "no such version"; a blob missing below it is its own error.
  const root = await whenFound(session, opened, opened.reference, () =>
    opened.target.resolve(opened.reference as string),
  );
  const base = await readBaseImage(opened.target, root.digest, { name: baseName, platform });

  const work = await mkdtemp(join(tmpdir(), 'provisioning-image-'));
  let output: ImageOutput | undefined;
  try {
    const installDir = appInstallDir(app);
    const layer = await packDirectoryLayer(appDir, {
      prefix: installDir,
      outFile: join(work, 'layer.tar.gz'),
      ...(options.sourceDateEpoch !== undefined ? { sourceDateEpoch: options.sourceDateEpoch } : {}),
    });
    const created = new Date(layer.mtime * 1000).toISOString().replace('.000Z', 'Z');
    const version = tag.slice(1);
    // A layout's path is no reference (and would make the digest depend on where it lies).
    const baseLabel: Record<string, string> = opened.parsed
      ? { 'org.opencontainers.image.base.name': base.name }
      : {};
    const labels: Record<string, string> = {
      [Annotations.title]: app,
      [Annotations.version]: version,
      'org.opencontainers.image.base.digest': base.descriptor.digest,
      ...baseLabel,
    };
    const entrypoint = ['node', `${installDir}/${entry}`];
    output = options.output
      ? await openLayoutOutput(options.output, tag)
      : await openRegistryOutput(session, app, tag);
    const built = await buildImage({
      base,
      layer: { path: join(work, 'layer.tar.gz'), ...layer },
      config: {
        entrypoint,
        env: ['NODE_ENV=production', ...(options.env ?? [])],
        labels,
        workingDir: installDir,
        created,
        createdBy: `provisioning platform image build ${app}`,
      },
      annotations: {
        [Annotations.title]: app,
        [Annotations.version]: version,
        [Annotations.created]: created,
      },
      destination: output.target,
      tag,
      baseName: opened.parsed !== undefined,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    await output.commit();
    const { destination } = output;
    output = undefined;
    return {
      app,
      destination,
      digest: built.descriptor.digest,
      mediaType: built.descriptor.mediaType,
      size: built.descriptor.size,
      platform: formatPlatform(base.config),
      base: { reference: base.name, digest: base.descriptor.digest },
      layer: { digest: layer.digest, size: layer.size, diffId: layer.diffId, files: layer.files },
      entrypoint,
    };
  } finally {
    await output?.abort().catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Where `pnpm build` leaves what the image runs: the api-gateway and mcp-server bundle a start file
 * with all their dependencies into `dist/image/` (their `dist/` is library output that imports
 * packages absent from the image); the other apps' `dist/` is used as it is.
 */
function defaultAppDir(app: PlatformApp): string {
  return app === 'api-gateway' || app === 'mcp-server'
    ? join('apps', app, 'dist', 'image')
    : join('apps', app, 'dist');
}

/** `1.2.0` or `v1.2.0` → `v1.2.0` (the platform images' tag style). */
function versionTag(version: string): string {
  const clean = version.startsWith('v') ? version.slice(1) : version;
  if (semver.valid(clean) !== clean) {
    throw new ProvisioningError(
      'FLAG_INVALID',
      `--version ${JSON.stringify(version.slice(0, 80))} is not a semver version`,
      {
        kind: 'usage',
        hint: 'give a version like 1.2.0 or v1.2.0',
      },
    );
  }
  return `v${clean}`;
}

function checkEnvEntry(entry: string): void {
  if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(entry)) {
    throw new ProvisioningError(
      'FLAG_INVALID',
      `--env ${JSON.stringify(entry.slice(0, 80))} is not KEY=VALUE`,
      {
        kind: 'usage',
        hint: 'write e.g. --env PORT=8080',
      },
    );
  }
}

/** The bundle directory and its entry file must be there; the default one is named with how to build it. */
async function checkBundle(app: PlatformApp, dir: string, entry: string, isDefault: boolean): Promise<void> {
  const hint = isDefault
    ? `build it first (\`pnpm --filter @provisioning/${app} build\`) or give the bundle with --app-dir DIR`
    : 'give the directory holding the built app with --app-dir DIR';
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new ProvisioningError('APP_BUNDLE_MISSING', `the ${app} bundle ${dir} is missing`, {
      kind: 'input',
      hint,
      details: { app, dir },
    });
  }
  if (entry.split(/[\\/]/).some((part) => part === '..' || part === '') || entry.startsWith('/')) {
    throw new ProvisioningError(
      'FLAG_INVALID',
      `--entry ${JSON.stringify(entry)} is not a path inside the bundle`,
      {
        kind: 'usage',
        hint: 'give the entry file relative to the bundle, e.g. index.js or server/main.js',
      },
    );
  }
  const entryInfo = await stat(join(dir, entry)).catch(() => undefined);
  if (!entryInfo?.isFile()) {
    throw new ProvisioningError('APP_BUNDLE_MISSING', `the ${app} bundle ${dir} has no entry file ${entry}`, {
      kind: 'input',
      hint: isDefault ? hint : 'build the app into that directory, or name its entry file with --entry FILE',
      details: { app, dir, entry },
    });
  }
}
