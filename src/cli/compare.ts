/**
 * `tencentcloud-ocr-emulator compare RECORDINGS_DIR`: the drift report. Every recording of an action
 * the emulator emulates (QrcodeOCR, RecognizeHealthCodeOCR) that kept its image
 * (TCOCR_RECORD_IMAGES=true) is answered again by the local engines, in this process, and what
 * differs from the real service's recorded answer is printed: the error code, each symbol's type,
 * text and corners (beyond TOLERANCE_PX), each health-code field. Exit 0 when nothing differs,
 * 1 when something does, 2 when the folder cannot be read.
 */
import path from 'node:path';
import { API_VERSION } from '../actions/registry.js';
import { buildApp } from '../app.js';
import { type Config, loadConfig } from '../config.js';
import { type Recording, loadRecordings } from '../replay/recordings.js';

/** Corners may move this many pixels before they count as different (decoders place them differently). */
export const TOLERANCE_PX = 8;
const EMULATED = new Set(['QrcodeOCR', 'RecognizeHealthCodeOCR']);

type Reply = Record<string, unknown>;

function differences(action: string, recorded: Reply, local: Reply): string[] {
  const code = (r: Reply) => (r.Error as { Code?: string } | undefined)?.Code ?? 'OK';
  if (code(recorded) !== code(local)) return [`code: recorded ${code(recorded)}, emulator ${code(local)}`];
  if (code(recorded) !== 'OK') return [];
  const out: string[] = [];
  if (action === 'RecognizeHealthCodeOCR') {
    for (const [field, value] of Object.entries(recorded)) {
      if (local[field] !== value)
        out.push(`${field}: recorded ${JSON.stringify(value)}, emulator ${JSON.stringify(local[field])}`);
    }
    return out;
  }
  type Code = { TypeName?: string; Url?: string; Position?: Record<string, { X: number; Y: number }> };
  const a = (recorded.CodeResults ?? []) as Code[];
  const b = (local.CodeResults ?? []) as Code[];
  if (a.length !== b.length) return [`CodeResults: recorded ${a.length} symbols, emulator ${b.length}`];
  a.forEach((symbol, i) => {
    const mine = b[i]!;
    if (symbol.TypeName !== mine.TypeName)
      out.push(`CodeResults[${i}].TypeName: recorded ${symbol.TypeName}, emulator ${mine.TypeName}`);
    if (symbol.Url !== mine.Url)
      out.push(`CodeResults[${i}].Url: recorded ${JSON.stringify(symbol.Url)}, emulator ${JSON.stringify(mine.Url)}`);
    for (const [corner, p] of Object.entries(symbol.Position ?? {})) {
      const q = mine.Position?.[corner];
      if (!q || Math.abs(q.X - p.X) > TOLERANCE_PX || Math.abs(q.Y - p.Y) > TOLERANCE_PX)
        out.push(
          `CodeResults[${i}].Position.${corner}: recorded (${p.X}, ${p.Y}), emulator ${q ? `(${q.X}, ${q.Y})` : 'none'}`,
        );
    }
  });
  return out;
}

/** Runs the report; returns the exit status. */
export async function compareRecordings(
  dir: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<number> {
  let recordings: ReadonlyMap<string, Recording>;
  try {
    recordings = loadRecordings(dir);
  } catch (error) {
    process.stderr.write(`compare: ${(error as Error).message}\n`);
    return 2;
  }
  const config: Readonly<Config> = loadConfig({
    ...env,
    TCOCR_MODE: 'serve',
    TCOCR_SIGNATURE: 'off',
    TCOCR_ADMIN: 'false',
    TCOCR_RATE_LIMITS: 'off',
    TCOCR_LOG_LEVEL: 'silent',
    TCOCR_QRCODE_REGIONS: '*',
    TCOCR_HEALTHCODE_REGIONS: '*',
  });
  const app = await buildApp(config);
  let compared = 0;
  let differing = 0;
  let skipped = 0;
  try {
    for (const recording of [...recordings.values()].sort((x, y) => (x.key < y.key ? -1 : 1))) {
      if (!EMULATED.has(recording.action) || !recording.images) {
        skipped += 1;
        continue;
      }
      const reply = await app.inject({
        method: 'POST',
        url: '/',
        headers: {
          'content-type': 'application/json',
          'x-tc-action': recording.action,
          'x-tc-version': API_VERSION,
          'x-tc-region': recording.region,
          'x-tc-timestamp': String(Math.floor(Date.now() / 1000)),
          authorization:
            'TC3-HMAC-SHA256 Credential=compare/2000-01-01/ocr/tc3_request, SignedHeaders=content-type;host, Signature=0',
        },
        payload: JSON.stringify({ ...recording.params, ...recording.images }),
      });
      const { RequestId: _id, ...local } = (JSON.parse(reply.body) as { Response: Reply }).Response;
      const found = differences(recording.action, recording.response, local);
      compared += 1;
      const name = `${recording.action} ${recording.key.slice(0, 16)}`;
      if (found.length === 0) process.stdout.write(`same  ${name}\n`);
      else {
        differing += 1;
        process.stdout.write(`DIFF  ${name}\n${found.map((line) => `      ${line}\n`).join('')}`);
      }
    }
  } finally {
    await app.close();
  }
  process.stdout.write(
    `${compared} compared in ${path.resolve(dir)}: ${compared - differing} the same, ${differing} different; ${skipped} skipped (not emulated, or recorded without TCOCR_RECORD_IMAGES)\n`,
  );
  return differing > 0 ? 1 : 0;
}
