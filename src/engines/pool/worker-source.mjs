// Source runs only (tsx, vitest): Node 20 ignores `--import tsx` in a worker's execArgv, so this
// thread registers tsx itself and then loads the TypeScript worker named in workerData.script.
// Compiled runs start the worker's .js file directly.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.script);
