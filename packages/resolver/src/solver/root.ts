/**
 * Internal name of the workspace pseudo-package. Real package names can never be empty or contain
 * a NUL, so this cannot collide with a dependency.
 */
export const ROOT = '\u0000root';
export const ROOT_VERSION = '0.0.0';
