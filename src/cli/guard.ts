/**
 * The process `exec` runs COMMAND under: `node guard.js -- COMMAND [ARGS…]`. It starts COMMAND (in the
 * terminal's process group, as before, so interactive commands keep their terminal), passes SIGINT,
 * SIGTERM and SIGHUP on to it, and exits with
 * COMMAND's status (128 + signal number when a signal ended it; 127 when it could not start). Its
 * purpose is the one case the wrapper cannot handle itself: the wrapper killed with SIGKILL. The
 * guard checks its parent PID four times a second; once the wrapper is gone it stops COMMAND
 * (SIGTERM, SIGKILL after GRACE_MS) and exits, so nothing keeps running.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** How long COMMAND gets between SIGTERM and SIGKILL once the wrapper is gone. */
const GRACE_MS = 5000;

const command = process.argv.slice(process.argv.indexOf('--') + 1);
const wrapper = process.ppid;
const child = spawn(command[0]!, command.slice(1), { stdio: 'inherit' });

const signalCommand = (signal: NodeJS.Signals) => {
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
};
for (const signal of FORWARDED) process.on(signal, () => signalCommand(signal));

const watch = setInterval(() => {
  if (process.ppid === wrapper) return;
  clearInterval(watch);
  signalCommand('SIGTERM');
  setTimeout(() => {
    signalCommand('SIGKILL');
    process.exit(137);
  }, GRACE_MS).unref();
}, 250);

child.once('error', (error) => {
  process.stderr.write(`tencentcloud-ocr-emulator exec: cannot run ${command[0]}: ${error.message}\n`);
  process.exit(127);
});
child.once('exit', (code, signal) => {
  process.exit(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1));
});
