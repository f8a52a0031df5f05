/** Caps that keep a hostile archive from exhausting disk, memory or time (docs/architecture.md, "Security boundaries"). */
export interface UnpackLimits {
  /** Sum of all file sizes after decompression. */
  maxTotalBytes: number;
  /** Number of members (files and directories). */
  maxEntries: number;
  /** Size of any single file. */
  maxEntryBytes: number;
  /** Decompressed bytes per compressed byte (node-tar uses the same 1000:1 bound). */
  maxRatio: number;
  /** The ratio is only enforced past this many decompressed bytes (tar padding compresses well). */
  ratioGraceBytes: number;
}

export const DEFAULT_UNPACK_LIMITS: UnpackLimits = {
  maxTotalBytes: 256 * 1024 * 1024,
  maxEntries: 10_000,
  maxEntryBytes: 64 * 1024 * 1024,
  maxRatio: 1000,
  ratioGraceBytes: 1024 * 1024,
};

/** oci-manifest.json is read into memory to verify the rest; it never needs more than this. */
export const MAX_OCI_MANIFEST_FILE_BYTES = 4 * 1024 * 1024;
