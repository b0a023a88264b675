import { fileURLToPath } from 'node:url';

/**
 * Where a worker-thread script lives, for the code that is running now. Compiled code
 * (`dist/**.js`) starts `name.js`; source run by tsx or vitest (`src/**.ts`) starts `name.ts` with
 * tsx's loader, so tests exercise the same worker code as production.
 */
export function workerFile(callerUrl: string, name: string): { filename: string; execArgv: string[] } {
  const fromSource = callerUrl.endsWith('.ts');
  const filename = fileURLToPath(new URL(`./${name}.${fromSource ? 'ts' : 'js'}`, callerUrl));
  return { filename, execArgv: fromSource ? ['--import', 'tsx'] : [] };
}
