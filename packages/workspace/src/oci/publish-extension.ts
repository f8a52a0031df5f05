/**
 * `oci publish NAME` (migration phase 2): find `extensions/{providers,taskservs,clusters}/NAME`
 * under a directory (default the current one) and push it at the version its manifest declares.
 */
import path from 'node:path';
import { locateExtension } from '@provisioning/packager';
import type { OciSession } from './oci-session.js';
import { type PushExtensionOptions, type PushExtensionResult, pushExtension } from './push-extension.js';

export interface PublishExtensionOptions
  extends Pick<PushExtensionOptions, 'onProgress' | 'force' | 'signKey'> {
  /** Directory holding `extensions/` (default: current directory). */
  dir?: string;
}

export interface PublishExtensionResult extends PushExtensionResult {
  /** The extension directory that was pushed. */
  directory: string;
}

export async function publishExtension(
  session: OciSession,
  name: string,
  options: PublishExtensionOptions = {},
): Promise<PublishExtensionResult> {
  const cwd = options.dir ?? process.cwd();
  const directory = await locateExtension(name, { cwd });
  // A directory (`.`, `../redis`, `./redis`) names no extension: its manifest does. Only a name
  // looked up under extensions/ is checked against the manifest's.
  const givenAsPath = directory === path.resolve(cwd, name);
  const pushed = await pushExtension(session, directory, {
    ...(givenAsPath ? {} : { name }),
    ...(options.force ? { force: true } : {}),
    ...(options.signKey ? { signKey: options.signKey } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  return { ...pushed, directory };
}
