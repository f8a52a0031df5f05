export * from './migrate-to-oci.js';
