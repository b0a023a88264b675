/**
 * `npm run docker:smoke`: the Dockerfile's build and start, carried out on a host without a Docker
 * engine, so that the Dockerfile cannot rot silently. It reads the Dockerfile and .dockerignore
 * and does what `docker build` and `docker run` would, instruction by instruction:
 *
 *   .dockerignore      → the build context: only the allow-listed files, copied to a temp dir
 *   FROM … AS stage    → an empty temp dir standing for the stage's filesystem root; the image's
 *                        Node major version must equal this host's (node and npm come from here)
 *   WORKDIR, COPY      → the same paths under that root; COPY --from=stage copies between roots;
 *                        a source the context lacks fails, as in Docker
 *   RUN                → `/bin/sh -c` in the WORKDIR, with ARG/ENV values and Docker's predefined
 *                        proxy variables; `--mount=type=cache,target=/root/.npm` is this host's
 *                        npm cache (the cache mount changes nothing in the image)
 *   ENV, USER, EXPOSE, HEALTHCHECK, ENTRYPOINT, CMD, STOPSIGNAL → used to start and check the result
 *
 * Then, like `docker run -e TCOCR_PORT=<free port> -e TCOCR_DECODER_WORKERS=1 -e TCOCR_OCR_WORKERS=1`:
 * ENTRYPOINT + CMD run in the final stage's WORKDIR with its ENV (as uid 1000, the image's `node`
 * user, when this host runs as root: via setpriv); the HEALTHCHECK command is polled until it
 * passes; /_emulator/health must report package.json's version; examples/node/qrcode-ocr.mjs (the
 * official Node SDK, run from this checkout as a client would) must decode the sample QR code; the
 * stop signal must end the process with exit code 0; and the image's files must be unchanged.
 * Any other instruction (ADD, VOLUME, SHELL, …) fails the run: extend this script with it.
 *
 *   npm run docker:smoke [-- --keep]      (--keep leaves the temp dirs for inspection)
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('..', import.meta.url));

// ---- Dockerfile parsing ---------------------------------------------------------------------------

export interface Instruction {
  /** 1-based line where the instruction starts. */
  line: number;
  keyword: string;
  /** Leading `--name=value` options (`--from`, `--mount`, `--interval` …). */
  flags: Array<[string, string]>;
  /** Everything after the keyword and its options. */
  args: string;
}

export function parseDockerfile(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let buffer = '';
  let start = 0;
  text.split(/\r?\n/).forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed.startsWith('#') || (buffer === '' && trimmed === '')) return;
    if (buffer === '') start = index + 1;
    const continued = /\\\s*$/.test(raw);
    buffer += `${continued ? raw.replace(/\\\s*$/, '') : raw} `;
    if (continued) return;
    const body = buffer.trim();
    buffer = '';
    const keyword = body.split(/\s/, 1)[0]!.toUpperCase();
    let rest = body.slice(keyword.length).trim();
    const flags: Array<[string, string]> = [];
    for (let match = /^--([a-z-]+)=(\S*)\s*/.exec(rest); match; match = /^--([a-z-]+)=(\S*)\s*/.exec(rest)) {
      flags.push([match[1]!, match[2]!]);
      rest = rest.slice(match[0].length);
    }
    instructions.push({ line: start, keyword, flags, args: rest });
  });
  if (buffer.trim() !== '') throw new Error(`Dockerfile:${start}: a line continuation runs off the end of the file`);
  return instructions;
}

/** Exec form (`["a", "b"]`) or shell form (`a b` → `/bin/sh -c "a b"`). */
export function commandOf(args: string): string[] {
  const text = args.trim();
  if (text.startsWith('[')) {
    const parsed: unknown = JSON.parse(text);
    if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string'))
      throw new Error(`not a JSON string array: ${text}`);
    return parsed;
  }
  return ['/bin/sh', '-c', text];
}

/** `A=1 B="two words"`, or the legacy `A value` form. */
export function parsePairs(args: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(args.trim())) {
    const [name, ...value] = args.trim().split(/\s+/);
    pairs[name!] = value.join(' ');
    return pairs;
  }
  const token = /([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)\s*/g;
  for (let match = token.exec(args.trim()); match; match = token.exec(args.trim())) {
    const value = match[2]!;
    pairs[match[1]!] = value.startsWith('"')
      ? value.slice(1, -1).replace(/\\(.)/g, '$1')
      : value.startsWith("'")
        ? value.slice(1, -1)
        : value;
  }
  return pairs;
}

/** `$NAME`, `${NAME}`, `${NAME:-default}`. */
export function substitute(text: string, vars: Readonly<Record<string, string>>): string {
  return text.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (_all, braced, fallback, bare) => {
      const name = (braced ?? bare) as string;
      return vars[name] !== undefined && vars[name] !== '' ? vars[name]! : ((fallback as string | undefined) ?? '');
    },
  );
}

// ---- .dockerignore --------------------------------------------------------------------------------

export interface IgnoreRule {
  negate: boolean;
  pattern: string;
  regex: RegExp;
}

export function parseDockerignore(text: string): IgnoreRule[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const negate = line.startsWith('!');
      const pattern = path.posix.normalize(line.slice(negate ? 1 : 0).replace(/^\/+/, '')).replace(/\/+$/, '');
      const source = pattern
        .split(/(\*\*\/?|\*|\?)/)
        .map((part) =>
          part.startsWith('**')
            ? '.*'
            : part === '*'
              ? '[^/]*'
              : part === '?'
                ? '[^/]'
                : part.replace(/[.+^${}()|[\]\\]/g, '\\$&'),
        )
        .join('');
      return { negate, pattern, regex: new RegExp(`^${source}$`) };
    });
}

/** Docker's rule: the last pattern matching the path, or one of its parent folders, decides. */
export function isExcluded(rules: readonly IgnoreRule[], relative: string): boolean {
  const parts = relative.split('/');
  const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let excluded = false;
  for (const rule of rules) if (candidates.some((candidate) => rule.regex.test(candidate))) excluded = !rule.negate;
  return excluded;
}

/** Copies the build context (files .dockerignore lets through) to `target`; returns their paths. */
export function copyContext(root: string, rules: readonly IgnoreRule[], target: string): string[] {
  const copied: string[] = [];
  const walk = (relative: string) => {
    for (const entry of readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const rel = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        const reopened = rules.some((rule) => rule.negate && rule.pattern.startsWith(`${rel}/`));
        if (!isExcluded(rules, rel) || reopened) walk(rel);
      } else if (!isExcluded(rules, rel)) {
        cpSync(path.join(root, rel), path.join(target, rel), { dereference: true });
        copied.push(rel);
      }
    }
  };
  walk('');
  return copied;
}

// ---- carrying the instructions out ----------------------------------------------------------------

interface Stage {
  name: string;
  image: string;
  root: string;
  workdir: string;
  args: Record<string, string>;
  env: Record<string, string>;
  user: string;
  expose: string[];
  entrypoint: string[];
  cmd: string[];
  healthcheck?: { flags: Array<[string, string]>; command: string[] };
  stopSignal: NodeJS.Signals;
}

/** Docker passes these to RUN without an ARG line. */
const PREDEFINED_ARGS = ['HTTP_PROXY', 'HTTPS_PROXY', 'FTP_PROXY', 'NO_PROXY', 'ALL_PROXY'].flatMap((n) => [
  n,
  n.toLowerCase(),
]);

/** The `node` user of the official Node images. */
const IMAGE_USERS: Record<string, { uid: number; gid: number }> = {
  node: { uid: 1000, gid: 1000 },
  '1000': { uid: 1000, gid: 1000 },
};

class SmokeError extends Error {}

const log = (message: string) => process.stdout.write(`docker-smoke: ${message}\n`);
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

function hostPath(stage: Stage, containerPath: string): string {
  const absolute = path.posix.resolve(stage.workdir, containerPath);
  return path.join(stage.root, absolute);
}

function hostEnv(): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin' };
  for (const name of PREDEFINED_ARGS) if (process.env[name]) env[name] = process.env[name]!;
  return env;
}

interface BuildResult {
  final: Stage;
  stages: Map<string, Stage>;
  context: string[];
}

/** `docker build --build-arg NAME=VALUE`: a value for an ARG that replaces its default. */
function build(
  work: string,
  dockerfile: readonly Instruction[],
  rules: readonly IgnoreRule[],
  buildArgs: Readonly<Record<string, string>> = {},
): BuildResult {
  const context = path.join(work, 'context');
  const contextFiles = copyContext(REPO, rules, context);
  log(
    `build context (.dockerignore allow-list): ${contextFiles.length} files under ${[...new Set(contextFiles.map((f) => f.split('/')[0]))].join(', ')}`,
  );

  const globalArgs: Record<string, string> = {};
  const stages = new Map<string, Stage>();
  let stage: Stage | undefined;
  const where = (i: Instruction) => `Dockerfile:${i.line} ${i.keyword}`;

  for (const instruction of dockerfile) {
    const { keyword, args, flags } = instruction;
    const started = Date.now();
    if (keyword === 'ARG') {
      const eq = args.indexOf('=');
      const name = (eq < 0 ? args : args.slice(0, eq)).trim();
      const value = buildArgs[name] ?? (eq < 0 ? undefined : args.slice(eq + 1).trim());
      if (stage) stage.args[name] = value ?? globalArgs[name] ?? '';
      else globalArgs[name] = value ?? '';
      continue;
    }
    if (keyword === 'FROM') {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      if (!match) throw new SmokeError(`${where(instruction)}: cannot read \`${args}\``);
      const image = substitute(match[1]!, globalArgs);
      if (stages.has(image)) throw new SmokeError(`${where(instruction)}: FROM an earlier stage is not carried out`);
      const major = /^node:(\d+)/.exec(image)?.[1];
      if (!major)
        throw new SmokeError(`${where(instruction)}: the base image \`${image}\` is not an official Node image`);
      if (major !== process.versions.node.split('.')[0]) {
        throw new SmokeError(
          `${where(instruction)}: the image runs Node ${major}, this host Node ${process.versions.node}: run the smoke test with Node ${major}`,
        );
      }
      const name = match[2] ?? String(stages.size);
      const root = path.join(work, 'stages', name);
      mkdirSync(root, { recursive: true });
      stage = {
        name,
        image,
        root,
        workdir: '/',
        args: {},
        env: {},
        user: 'root',
        expose: [],
        entrypoint: [],
        cmd: [],
        stopSignal: 'SIGTERM',
      };
      stages.set(name, stage);
      log(`${where(instruction)} ${image} AS ${name} → ${root}`);
      continue;
    }
    if (!stage) throw new SmokeError(`${where(instruction)}: before any FROM`);
    const vars = { ...stage.args, ...stage.env };
    switch (keyword) {
      case 'WORKDIR':
        stage.workdir = path.posix.resolve(stage.workdir, substitute(args, vars));
        mkdirSync(hostPath(stage, '.'), { recursive: true });
        break;
      case 'ENV':
        for (const [name, value] of Object.entries(parsePairs(args))) stage.env[name] = substitute(value, vars);
        break;
      case 'LABEL':
        break;
      case 'USER':
        stage.user = substitute(args, vars).trim();
        break;
      case 'EXPOSE':
        stage.expose.push(...substitute(args, vars).split(/\s+/));
        break;
      case 'ENTRYPOINT':
        stage.entrypoint = commandOf(args);
        stage.cmd = [];
        break;
      case 'CMD':
        stage.cmd = commandOf(args);
        break;
      case 'STOPSIGNAL':
        stage.stopSignal = args.trim() as NodeJS.Signals;
        break;
      case 'HEALTHCHECK': {
        const cmd = /^CMD\s+(.*)$/i.exec(args);
        if (args.trim().toUpperCase() === 'NONE') delete stage.healthcheck;
        else if (cmd) stage.healthcheck = { flags, command: commandOf(cmd[1]!) };
        else throw new SmokeError(`${where(instruction)}: cannot read \`${args}\``);
        break;
      }
      case 'COPY': {
        const from = flags.find(([name]) => name === 'from')?.[1];
        for (const [name] of flags)
          if (!['from', 'chown', 'chmod', 'link'].includes(name))
            throw new SmokeError(`${where(instruction)}: --${name} is not carried out`);
        const parts = args.trim().startsWith('[') ? commandOf(args) : args.trim().split(/\s+/);
        const dest = substitute(parts.pop()!, vars);
        const sources = parts.map((p) => substitute(p, vars));
        const sourceRoot = from ? stages.get(from) : undefined;
        if (from && !sourceRoot) throw new SmokeError(`${where(instruction)}: no earlier stage named ${from}`);
        const destPath = hostPath(stage, dest);
        const intoFolder = dest.endsWith('/') || sources.length > 1;
        for (const source of sources) {
          if (/[*?[]/.test(source))
            throw new SmokeError(`${where(instruction)}: wildcards are not carried out (${source})`);
          const sourcePath = sourceRoot
            ? path.join(sourceRoot.root, path.posix.resolve('/', source))
            : path.join(context, source);
          if (!existsSync(sourcePath)) {
            throw new SmokeError(
              `${where(instruction)}: "${source}" not found${sourceRoot ? ` in stage ${from}` : ' in the build context (is it in the .dockerignore allow-list?)'}`,
            );
          }
          const target =
            statSync(sourcePath).isDirectory() || !intoFolder ? destPath : path.join(destPath, path.basename(source));
          mkdirSync(statSync(sourcePath).isDirectory() ? target : path.dirname(target), { recursive: true });
          cpSync(sourcePath, target, { recursive: true });
        }
        log(`${where(instruction)} ${args}`);
        break;
      }
      case 'RUN': {
        for (const [name, value] of flags) {
          if (name !== 'mount' || !/(^|,)type=cache(,|$)/.test(value))
            throw new SmokeError(`${where(instruction)}: --${name}=${value} is not carried out`);
        }
        const command = commandOf(args);
        log(`${where(instruction)} ${args}`);
        const result = spawnSync(command[0]!, command.slice(1), {
          cwd: hostPath(stage, '.'),
          env: { ...hostEnv(), HOME: process.env.HOME ?? '/root', ...stage.args, ...stage.env },
          stdio: 'inherit',
        });
        if (result.status !== 0) {
          const hint = /\bnpm (ci|install)\b/.test(args)
            ? ' (is the npm registry, or the npm cache, reachable from here?)'
            : '';
          throw new SmokeError(`${where(instruction)} failed: exit code ${result.status ?? result.signal}${hint}`);
        }
        log(`  done in ${seconds(started)}`);
        break;
      }
      default:
        throw new SmokeError(
          `${where(instruction)}: not carried out by scripts/docker-smoke.ts; extend it with this instruction`,
        );
    }
  }
  if (!stage) throw new SmokeError('the Dockerfile has no FROM');
  return { final: stage, stages, context: contextFiles };
}

// ---- running the image ----------------------------------------------------------------------------

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Every file under `root` with its size and modification time. */
function snapshot(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        const stat = statSync(full, { throwIfNoEntry: false });
        files.set(path.relative(root, full), stat ? `${stat.size}:${stat.mtimeMs}` : 'gone');
      }
    }
  };
  walk(root);
  return files;
}

/** The image user's uid/gid when this host can switch to it (root with setpriv); else undefined. */
function switchUser(user: string): { uid: number; gid: number } | undefined {
  if (user === 'root' || user === '0') return undefined;
  const ids = IMAGE_USERS[user];
  if (!ids)
    throw new SmokeError(`USER ${user}: unknown to scripts/docker-smoke.ts (it knows the Node images' node user)`);
  if (process.getuid?.() !== 0) return undefined;
  return spawnSync('setpriv', ['--version']).status === 0 ? ids : undefined;
}

function asUser(ids: { uid: number; gid: number } | undefined, command: readonly string[]): string[] {
  return ids ? ['setpriv', `--reuid=${ids.uid}`, `--regid=${ids.gid}`, '--clear-groups', ...command] : [...command];
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null)
      resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function durationMs(text: string | undefined, fallback: number): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(text ?? '');
  if (!match) return fallback;
  return Number(match[1]) * { ms: 1, s: 1000, m: 60_000 }[match[2] as 'ms' | 's' | 'm'];
}

async function run(work: string, result: BuildResult): Promise<void> {
  const { final } = result;
  const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
    version: string;
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };

  // Production dependencies only: no package the lockfile marks as needed by dev dependencies alone
  // (a dev dependency that a production one also needs, such as protobufjs's @types/node, stays).
  const lock = JSON.parse(readFileSync(path.join(REPO, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean }>;
  };
  const modules = hostPath(final, 'node_modules');
  const devPresent = Object.keys(pkg.devDependencies).filter(
    (name) => existsSync(path.join(modules, name)) && lock.packages[`node_modules/${name}`]?.dev === true,
  );
  const prodMissing = Object.keys(pkg.dependencies).filter((name) => !existsSync(path.join(modules, name)));
  if (devPresent.length > 0) throw new SmokeError(`the final stage holds dev dependencies: ${devPresent.join(', ')}`);
  if (prodMissing.length > 0) throw new SmokeError(`the final stage lacks dependencies: ${prodMissing.join(', ')}`);
  log(
    `final stage: ${Object.keys(pkg.dependencies).length} production dependencies, no package only the dev dependencies need`,
  );

  // The port the image listens on is the one it exposes.
  const imagePort = final.env.TCOCR_PORT ?? '9000';
  if (!final.expose.some((port) => port.replace(/\/tcp$/, '') === imagePort)) {
    throw new SmokeError(
      `the image listens on TCOCR_PORT=${imagePort} but EXPOSEs ${final.expose.join(', ') || 'nothing'}`,
    );
  }
  const imageHost = final.env.TCOCR_HOST ?? '0.0.0.0';
  if (imageHost !== '0.0.0.0')
    throw new SmokeError(`the image binds TCOCR_HOST=${imageHost}; a container must bind 0.0.0.0`);
  if (final.entrypoint.length + final.cmd.length === 0) throw new SmokeError('the image has no ENTRYPOINT or CMD');
  if (!final.healthcheck) throw new SmokeError('the image has no HEALTHCHECK');

  // `docker run -e …`: a free port instead of -p, one worker per engine on small CI machines.
  const port = await freePort();
  const runEnv = { TCOCR_PORT: String(port), TCOCR_DECODER_WORKERS: '1', TCOCR_OCR_WORKERS: '1' };
  const home = path.join(work, 'home');
  mkdirSync(home, { recursive: true });
  const user = switchUser(final.user);
  if (user) {
    // mkdtemp makes 0700 folders; the image user must reach its WORKDIR as in the image.
    chmodSync(work, 0o755);
    chownSync(home, user.uid, user.gid);
  }
  const env = { ...hostEnv(), HOME: home, ...final.env, ...runEnv };
  const cwd = hostPath(final, '.');
  const command = asUser(user, [...final.entrypoint, ...final.cmd]);
  log(
    `docker run -e ${Object.entries(runEnv)
      .map(([k, v]) => `${k}=${v}`)
      .join(
        ' -e ',
      )}: ${[...final.entrypoint, ...final.cmd].join(' ')} in ${final.workdir}, as ${user ? `uid ${user.uid} (USER ${final.user})` : `this host's user (USER ${final.user} needs root and setpriv to switch)`}`,
  );

  const before = snapshot(final.root);
  const started = Date.now();
  const child = spawn(command[0]!, command.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    process.stdout.write(chunk.toString().replace(/^(?=.)/gm, '  | '));
  });
  const tail = () => `\n--- stderr ---\n${stderr.slice(-4000)}\n--- stdout (logs) ---\n${stdout.slice(-4000)}`;

  try {
    // HEALTHCHECK, polled every second up to start-period + retries × interval.
    const hc = final.healthcheck;
    const flag = (name: string) => hc.flags.find(([n]) => n === name)?.[1];
    const deadline =
      durationMs(flag('start-period'), 0) + Number(flag('retries') ?? 3) * durationMs(flag('interval'), 30_000);
    const hcCommand = asUser(user, hc.command);
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new SmokeError(
          `the emulator exited (${child.exitCode ?? child.signalCode}) before it was healthy${tail()}`,
        );
      const check = spawnSync(hcCommand[0]!, hcCommand.slice(1), {
        cwd,
        env,
        timeout: durationMs(flag('timeout'), 30_000),
      });
      if (check.status === 0) break;
      if (Date.now() - started > deadline)
        throw new SmokeError(`HEALTHCHECK still failing after ${seconds(started)}${tail()}`);
      await sleep(1000);
    }
    log(`HEALTHCHECK ${hc.command.join(' ')}: healthy after ${seconds(started)}`);
    // The health check ran in a blocking spawnSync: the child's stderr written meanwhile is
    // delivered only now, over the next turns of the event loop. Wait for it before judging.
    const banner = `listening on 0.0.0.0:${port}`;
    for (const until = Date.now() + 5000; !stderr.includes(banner) && Date.now() < until; ) await sleep(50);
    if (!stderr.includes(banner)) throw new SmokeError(`the banner does not report ${banner}${tail()}`);

    const health = (await (await fetch(`http://127.0.0.1:${port}/_emulator/health`)).json()) as {
      status?: string;
      version?: string;
    };
    if (health.status !== 'ok' || health.version !== pkg.version)
      throw new SmokeError(`/_emulator/health answered ${JSON.stringify(health)}; expected version ${pkg.version}`);
    log(`/_emulator/health: ${JSON.stringify(health)}`);

    // A client: the Node SDK example from this checkout.
    const exampleEnv: Record<string, string | undefined> = { ...process.env, TCOCR_ENDPOINT: `127.0.0.1:${port}` };
    delete exampleEnv.http_proxy;
    const example = spawnSync(process.execPath, [path.join(REPO, 'examples/node/qrcode-ocr.mjs')], {
      env: exampleEnv,
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (
      example.status !== 0 ||
      !example.stdout.includes('QrcodeOCR: QR_CODE https://example.com/tencentcloud-ocr-emulator')
    ) {
      throw new SmokeError(
        `examples/node/qrcode-ocr.mjs failed (exit ${example.status}):\n${example.stdout}${example.stderr}${tail()}`,
      );
    }
    log(`examples/node/qrcode-ocr.mjs:\n${example.stdout.trimEnd().replace(/^/gm, '  > ')}`);
  } catch (error) {
    child.kill('SIGKILL');
    await exited(child);
    throw error;
  }

  // `docker stop`: the stop signal, then exit 0 within its 10 s grace.
  const stopping = Date.now();
  child.kill(final.stopSignal);
  const outcome = await Promise.race([exited(child), sleep(15_000).then(() => undefined)]);
  if (!outcome) {
    child.kill('SIGKILL');
    throw new SmokeError(`still running 15 s after ${final.stopSignal}${tail()}`);
  }
  if (outcome.code !== 0)
    throw new SmokeError(
      `${final.stopSignal} ended the emulator with ${outcome.code ?? outcome.signal}, not exit code 0${tail()}`,
    );
  log(`${final.stopSignal}: exit code 0 after ${seconds(stopping)}`);

  const after = snapshot(final.root);
  const changed = [...new Set([...before.keys(), ...after.keys()])].filter(
    (file) => before.get(file) !== after.get(file),
  );
  if (changed.length > 0)
    throw new SmokeError(
      `the emulator wrote into the image's files (read-only to USER ${final.user}): ${changed.slice(0, 10).join(', ')}`,
    );
}

export async function smoke(options: { keep?: boolean; buildArgs?: Record<string, string> } = {}): Promise<void> {
  const started = Date.now();
  const dockerfile = parseDockerfile(readFileSync(path.join(REPO, 'Dockerfile'), 'utf8'));
  const rules = parseDockerignore(readFileSync(path.join(REPO, '.dockerignore'), 'utf8'));
  const work = mkdtempSync(path.join(tmpdir(), 'tcocr-docker-smoke-'));
  try {
    for (const [name, value] of Object.entries(options.buildArgs ?? {})) log(`--build-arg ${name}=${value}`);
    const built = build(work, dockerfile, rules, options.buildArgs);
    log(`built in ${seconds(started)}`);
    await run(work, built);
    log(`OK in ${seconds(started)}`);
  } finally {
    if (options.keep) log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    // --build-arg NAME=VALUE, as docker build takes it (e.g. NODE_IMAGE=node:20-bookworm-slim on a Node 20 host).
    const buildArgs: Record<string, string> = {};
    process.argv.forEach((arg, i) => {
      const pair = arg === '--build-arg' ? process.argv[i + 1] : undefined;
      if (pair?.includes('=')) buildArgs[pair.slice(0, pair.indexOf('='))] = pair.slice(pair.indexOf('=') + 1);
    });
    await smoke({ keep: process.argv.includes('--keep'), buildArgs });
  } catch (error) {
    process.stderr.write(
      `docker-smoke: FAILED: ${error instanceof SmokeError ? error.message : ((error as Error).stack ?? String(error))}\n`,
    );
    process.exit(1);
  }
}
