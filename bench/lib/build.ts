/**
 * The benchmark runs the servers as `npm start` and the container do: JavaScript compiled by tsc
 * (src/ and bench/servers/ into bench/results/build/, with bench/servers/tsconfig.build.json),
 * started with plain node. `--source` runs them from TypeScript through tsx's loader instead (its
 * esbuild output differs: e.g. every function expression is wrapped in a `__name` call).
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { repoRoot } from './load.js';

const require = createRequire(import.meta.url);

export interface ServerMode {
  kind: 'compiled' | 'source';
  /** Folder holding the server scripts. */
  dir: string;
  /** Their extension. */
  ext: '.js' | '.ts';
  /** Node options every child gets besides the server's own (src/cli/node-options.ts) and --expose-gc. */
  execArgv: string[];
}

export const SOURCE_MODE: ServerMode = {
  kind: 'source',
  dir: path.join(repoRoot, 'bench', 'servers'),
  ext: '.ts',
  execArgv: ['--import', 'tsx'],
};

/** Compiles src/ and bench/servers/ (incrementally) and returns where the server scripts are. */
export function buildServers(): ServerMode {
  const config = path.join(repoRoot, 'bench', 'servers', 'tsconfig.build.json');
  const t0 = performance.now();
  const result = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', config], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    // tsc still emits on type errors; say so, and go on with what it emitted.
    console.log(
      `  tsc reported problems (exit ${result.status}); the emitted JavaScript is used anyway:\n${(result.stdout + result.stderr).trim().split('\n').slice(0, 10).join('\n')}`,
    );
  }
  console.log(
    `compiled src/ and bench/servers/ into bench/results/build/ (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
  );
  return {
    kind: 'compiled',
    dir: path.join(repoRoot, 'bench', 'results', 'build', 'bench', 'servers'),
    ext: '.js',
    execArgv: [],
  };
}
