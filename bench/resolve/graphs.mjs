// Synthetic package universes for the solver benchmark. Deterministic: same seed, same graph.

/** mulberry32: a tiny seeded PRNG, so every run measures the same graph. */
export function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Version i of 30: three majors of ten minors (1.0.0 … 3.9.0). */
function versionAt(i) {
  return `${1 + Math.floor(i / 10)}.${i % 10}.0`;
}

/**
 * `packageCount` packages × `versionCount` versions (three majors of ten minors). Each package
 * depends on 2–5 packages with a higher index (a wide, deep DAG). As in real ecosystems a
 * dependency's range follows the dependent's own major: version M.x of a package asks for
 * `^M.0.0`, a `>=M.y.0` floor (y moves every five minors) or `*`. The workspace pins a few packages to the older major 2, so every
 * package that depends on them has to be walked back to a compatible major: the solver backtracks
 * through whole chains instead of taking the newest of everything.
 */
export function wideGraph({ seed = 1, packageCount = 1000, versionCount = 30, pins = 8 } = {}) {
  const next = random(seed);
  const pick = (n) => Math.floor(next() * n);
  const packages = {};
  for (let p = 0; p < packageCount; p++) {
    const targets = new Set();
    const count = p + 1 < packageCount ? 2 + pick(4) : 0;
    for (let d = 0; d < count; d++) targets.add(Math.min(packageCount - 1, p + 1 + pick(50)));
    const styles = [...targets].map(() => next());
    const versions = {};
    for (let v = 0; v < versionCount; v++) {
      const major = 1 + Math.floor(v / 10);
      const dependencies = {};
      [...targets].forEach((target, i) => {
        const style = styles[i];
        dependencies[`pkg${target}`] =
          style < 0.7 ? `^${major}.0.0` : style < 0.9 ? `>=${major}.${(v % 10) - ((v % 10) % 5)}.0` : '*';
      });
      versions[versionAt(v)] = { dependencies };
    }
    packages[`pkg${p}`] = versions;
  }
  const root = {};
  for (let p = 0; p < 20; p++) root[`pkg${p}`] = '*';
  // Pins deep in the graph: older majors that dependents must accommodate.
  for (let i = 0; i < pins; i++) root[`pkg${100 + pick(packageCount - 100)}`] = '^2.0.0';
  return { packages, root };
}

/**
 * Pigeonhole: `holes + 1` pigeons must each sit in one of `holes` holes, and a hole package can
 * only be selected at one version (one pigeon). Unsatisfiable, and no short reason exists: the
 * solver has to try and refute many combinations before it can explain the failure.
 */
export function pigeonhole(holes) {
  const packages = {};
  const root = {};
  for (let pigeon = 1; pigeon <= holes + 1; pigeon++) {
    const versions = {};
    for (let hole = 1; hole <= holes; hole++) {
      versions[`${hole}.0.0`] = { dependencies: { [`hole${hole}`]: `${pigeon}.0.0` } };
    }
    packages[`pigeon${pigeon}`] = versions;
    root[`pigeon${pigeon}`] = '*';
  }
  for (let hole = 1; hole <= holes; hole++) {
    const versions = {};
    for (let pigeon = 1; pigeon <= holes + 1; pigeon++) versions[`${pigeon}.0.0`] = {};
    packages[`hole${hole}`] = versions;
  }
  return { packages, root };
}
