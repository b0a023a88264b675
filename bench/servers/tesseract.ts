/**
 * Benchmark child: the health-code scenario's baseline. Raw tesseract.js: <workers> workers with
 * the same language data as the engine (chi_sim from @tesseract.js-data/chi_sim, the engine's
 * model folder, read from node_modules, never fetched), tesseract.js defaults otherwise (OEM, page
 * segmentation auto, default outputs), recognising the uploaded image as it is: no preprocessing,
 * no second pass, no field extraction. A tesseract.js scheduler hands jobs to idle workers.
 *
 *   tesseract.js <workers>
 *
 * Command `run { image, concurrency, seconds }` → closedLoop's latencies; `text` returns one
 * recognition's text (a sanity check).
 */
import Tesseract from 'tesseract.js';
import { languageDataPath } from '../../src/engines/health-code/tesseract.js';
import { closedLoop, serveIpc } from './ipc.js';

const workers = Number(process.argv[2] ?? 1);
const scheduler = Tesseract.createScheduler();
await Promise.all(
  Array.from({ length: workers }, async () => {
    const worker = await Tesseract.createWorker('chi_sim', undefined, {
      langPath: languageDataPath(),
      cacheMethod: 'none',
      gzip: true,
    });
    // Silences tesseract's diagnostics on stdout; no effect on recognition.
    await worker.setParameters({ debug_file: '/dev/null' });
    scheduler.addWorker(worker);
  }),
);

const recognise = async (image: Uint8Array): Promise<string> => {
  const result = (await scheduler.addJob(
    'recognize',
    Buffer.from(image.buffer, image.byteOffset, image.byteLength),
  )) as Tesseract.RecognizeResult;
  return result.data.text ?? '';
};

serveIpc({
  handlers: {
    text: (args) => recognise(args.image as Uint8Array),
    run: (args) =>
      closedLoop(() => recognise(args.image as Uint8Array), Number(args.concurrency), Number(args.seconds)),
  },
  onExit: () => scheduler.terminate(),
});
