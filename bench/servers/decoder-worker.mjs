// The bare decoder's piscina worker (bench/servers/decoder.ts): Node 20 ignores `--import tsx` in
// a worker's execArgv, so the thread registers tsx itself, as src/engines/barcode/worker-source.mjs does.
import { register } from 'tsx/esm/api';

register();
const worker = await import(new URL('./decoder-worker.ts', import.meta.url).href);

export default worker.default;
