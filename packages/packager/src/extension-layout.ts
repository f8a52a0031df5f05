import { EXTENSION_TYPES, type ExtensionType } from '@provisioning/schemas';

/** The extension layout contract (docs/extension-guide.md): which files each type must have. */
export { EXTENSION_TYPES, type ExtensionType };

/** Written by the packager into every tarball; an extension must not ship its own. */
export const OCI_MANIFEST_FILE = 'oci-manifest.json';

export function isExtensionType(value: string): value is ExtensionType {
  return (EXTENSION_TYPES as readonly string[]).includes(value);
}

/** Files that must exist (relative POSIX paths) for an extension `name` of `type`. */
export function requiredFiles(type: ExtensionType, name: string): string[] {
  const files = [
    'manifest.yaml',
    'defaults.yaml',
    'docs/README.md',
    'kcl/kcl.mod',
    `kcl/${name}.k`,
    'scripts/install.nu',
  ];
  if (type === 'taskserv') {
    files.push('kcl/version.k', 'kcl/dependencies.k', 'scripts/check.nu', 'scripts/uninstall.nu');
  }
  if (type === 'provider') {
    files.push(`kcl/defaults_${name}.k`, `kcl/server_${name}.k`);
  }
  return files.sort();
}

/** Directories that must exist (and hold what the contract says). */
export function requiredDirectories(type: ExtensionType): string[] {
  return type === 'taskserv' ? ['templates', 'tests'] : ['templates'];
}
