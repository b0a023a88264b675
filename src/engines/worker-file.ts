import { fileURLToPath } from 'node:url';

/**
 * Where a worker-thread script lives, for the code that is running now. Compiled code
 * (`dist/**.js`) starts `name.js`; source run by tsx or vitest (`src/**.ts`) gets `name.ts` and
 * `--import tsx`. Node 20 ignores `--import` in a worker's execArgv, so a pool that runs from
 * source starts a small `.mjs` shim that registers tsx itself (see barcode/worker-source.mjs).
 */
export function workerFile(callerUrl: string, name: string): { filename: string; execArgv: string[] } {
  const fromSource = callerUrl.endsWith('.ts');
  const filename = fileURLToPath(new URL(`./${name}.${fromSource ? 'ts' : 'js'}`, callerUrl));
  return { filename, execArgv: fromSource ? ['--import', 'tsx'] : [] };
}
