import { fileURLToPath } from 'node:url';

/**
 * Where a pool's worker module lives, for the code that is running now. Compiled code
 * (`dist/**.js`) starts `name.js` directly; source run by tsx or vitest (`src/**.ts`) starts
 * worker-source.mjs, which registers tsx inside the thread and imports `name.ts` (Node 20 ignores
 * `--import tsx` in a worker's execArgv).
 */
export function workerScript(nextTo: string, name: string): { filename: string; script?: string } {
  if (!nextTo.endsWith('.ts')) return { filename: fileURLToPath(new URL(`./${name}.js`, nextTo)) };
  return {
    filename: fileURLToPath(new URL('./worker-source.mjs', import.meta.url)),
    script: new URL(`./${name}.ts`, nextTo).href,
  };
}
