/**
 * Started by npm (`npm start`, `npx tencentcloud-ocr-emulator`, an npm script), the process stops
 * when npm goes away, however npm was stopped (SIGTERM, SIGKILL): npm does not pass every signal on
 * and its shell does not either, which used to leave a server running with parent PID 1. It checks
 * its parent PID twice a second and, once the parent has changed, sends itself SIGTERM: the usual
 * graceful close. Started directly (`node [options] dist/src/cli.js`, the container's ENTRYPOINT, a
 * supervisor), it stays independent of its parent.
 */
export function stopWithNpm(env: Readonly<Record<string, string | undefined>> = process.env): void {
  if (env.npm_lifecycle_event === undefined && env.npm_command === undefined) return;
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    process.stderr.write(`tencentcloud-ocr-emulator: npm (PID ${parent}) is gone; stopping\n`);
    process.kill(process.pid, 'SIGTERM');
  }, 500);
  timer.unref();
}
