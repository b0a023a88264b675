/**
 * Node options every launch of the server uses: package.json's `start`, the Dockerfile's
 * ENTRYPOINT and action.yml's npx start (tests hold all three to this list; the benchmarks start
 * their children with it).
 *
 * --v8-pool-size=1: V8's background threads (Node's default is four) mark and sweep the engine
 * threads' heaps beside them; on two cores, four of them plus the engine thread took the core the
 * event loop was woken on, for a few ms at a time. Measured (compiled server code, PP-OCR, sixteen
 * 1080×2340 pages, longest event-loop delay): one worker 16–38 ms with four threads, 6.1–9.4 ms
 * with one; two workers 9.3–13.4 against 9.1–9.9 ms, the sixteen pages in 7.4–8.3 against
 * 6.9–7.7 s. Node reads it only at start, so it cannot be set from inside the server: the
 * `tencentcloud-ocr-emulator` command and library mode run with the options node was given
 * (`NODE_OPTIONS=--v8-pool-size=1` sets it there).
 */
export const SERVER_NODE_OPTIONS = ['--v8-pool-size=1'] as const;
