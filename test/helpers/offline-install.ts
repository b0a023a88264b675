/**
 * Installing a packed tarball into an empty project with no network: a package-lock.json for the
 * new project is derived from this repository's, holding the tarball and exactly the closure of its
 * production dependencies (package.json "dependencies", their dependencies, optional and required
 * peer dependencies, as this repository resolved them), so `npm install --offline` takes every
 * package from the npm cache that installed this repository and asks no registry. Entries the
 * lockfile records without a `resolved` URL get the registry's usual tarball URL (npm would
 * otherwise fetch the package's metadata to find it). The project's .npmrc keeps
 * onnxruntime-node's install script from downloading its GPU build, as this repository's does.
 */
import { readFileSync, writeFileSync } from 'node:fs';

interface LockEntry {
  version?: string;
  resolved?: string;
  link?: boolean;
  dev?: boolean;
  devOptional?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

export function writeOfflineProject(repo: string, project: string, tarball: string): void {
  const lock = JSON.parse(readFileSync(`${repo}/package-lock.json`, 'utf8')) as { packages: Record<string, LockEntry> };
  const pkg = JSON.parse(readFileSync(`${repo}/package.json`, 'utf8')) as {
    name: string;
    version: string;
    license: string;
    dependencies: Record<string, string>;
    bin: Record<string, string>;
    engines: Record<string, string>;
  };
  const all = lock.packages;
  const keep = new Set<string>();
  /** Node's lookup: the nearest node_modules/name walking up from `from`. */
  const resolve = (from: string, name: string): string | undefined => {
    let base = from;
    for (;;) {
      const key = `${base ? `${base}/` : ''}node_modules/${name}`;
      if (all[key]) return key;
      if (!base) return undefined;
      const i = base.lastIndexOf('/node_modules/');
      base = i < 0 ? '' : base.slice(0, i);
    }
  };
  const walk = (from: string, deps: Record<string, string> | undefined, optional: boolean) => {
    for (const name of Object.keys(deps ?? {})) {
      const key = resolve(from, name);
      if (!key) {
        if (optional) continue;
        throw new Error(`${name} (needed by ${from || pkg.name}) is not in package-lock.json`);
      }
      if (keep.has(key)) continue;
      keep.add(key);
      const entry = all[key]!;
      walk(key, entry.dependencies, false);
      walk(key, entry.optionalDependencies, true);
      const peers = Object.entries(entry.peerDependencies ?? {}).filter(
        ([peer]) => !entry.peerDependenciesMeta?.[peer]?.optional,
      );
      walk(key, Object.fromEntries(peers), true);
    }
  };
  walk('', pkg.dependencies, false);

  const spec = `file:${tarball}`;
  const packages: Record<string, unknown> = {
    '': { name: 'offline-install', dependencies: { [pkg.name]: spec } },
    [`node_modules/${pkg.name}`]: {
      version: pkg.version,
      resolved: spec,
      license: pkg.license,
      dependencies: pkg.dependencies,
      bin: pkg.bin,
      engines: pkg.engines,
    },
  };
  for (const key of keep) {
    const { dev: _dev, devOptional: _devOptional, ...entry } = all[key]!;
    if (!entry.resolved && !entry.link) {
      const name = key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
      entry.resolved = `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${entry.version}.tgz`;
    }
    packages[key] = entry;
  }
  writeFileSync(
    `${project}/package.json`,
    `${JSON.stringify({ name: 'offline-install', private: true, dependencies: { [pkg.name]: spec } }, null, 2)}\n`,
  );
  writeFileSync(
    `${project}/package-lock.json`,
    `${JSON.stringify({ name: 'offline-install', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`,
  );
  writeFileSync(`${project}/.npmrc`, 'onnxruntime-node-install=skip\n');
}
