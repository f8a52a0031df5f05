// `--name N` numeric flags of a benchmark script.
export const numberArg = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
/** `--name a,b,c` as numbers. */
export const listArg = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1].split(',').map(Number) : fallback;
};
