// Source runs only (tsx, vitest): Node 20 ignores `--import tsx` in a worker's execArgv, so this
// thread registers tsx itself and then loads the TypeScript worker. Compiled runs start worker.js.
import { register } from 'tsx/esm/api';

register();
const worker = await import(new URL('./worker.ts', import.meta.url).href);

export default worker.default;
