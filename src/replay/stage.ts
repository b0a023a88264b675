/**
 * The replay stage (TCOCR_MODE=replay), just before the action runs: a call whose key has a
 * recording is answered from it — the recorded success fields (a new RequestId is added as for
 * every reply) or the recorded error, code and message as the real service sent them; those codes
 * come from the real service and need not be in the emulator's own error table. A miss is left to
 * the action (`TCOCR_REPLAY_MISS=engine`) or answered with UnsupportedOperation naming the key.
 * In record mode the same place forwards the call to the real service (upstream.ts) and writes
 * its answer as a recording; upstream failures are answered and never recorded.
 */
import { ApiError } from '../errors/api-error.js';
import type { ErrorCode } from '../errors/codes.js';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { API_VERSION } from '../actions/registry.js';
import type { ApiContext, Stage } from '../pipeline/context.js';
import { makeRecording } from './recordings.js';
import { callUpstream } from './upstream.js';
import { recordingKey } from './key.js';

export const answerFromRecording: Stage = async (context) => {
  const { config } = context;
  if (config.mode === 'record') return record(context);
  if (config.mode !== 'replay' || !config.recordings) return;
  const action = context.action!.name;
  const region = context.common?.region ?? '';
  const key = recordingKey(action, region, context.params ?? {});
  const recording = config.recordings.get(key);
  if (!recording) {
    if (config.replayMiss === 'error')
      throw new ApiError('UnsupportedOperation', [action], {
        message: `No recording of this ${action} call (region ${region || '(none)'}, key ${key}) in TCOCR_RECORDINGS_DIR.`,
      });
    return;
  }
  context.replayed = key;
  answerWith(context, recording.response);
};

/** A recorded `Response` as this call's answer: its success fields, or its error as sent. */
function answerWith(context: ApiContext, response: Readonly<Record<string, unknown>>): void {
  const error = response.Error as { Code: string; Message: string } | undefined;
  if (error) throw new ApiError(error.Code as ErrorCode, [], { message: error.Message });
  context.result = { ...response };
}

/** Record mode: the call forwarded to the real service, its answer written and returned. */
async function record(context: ApiContext): Promise<void> {
  const { config } = context;
  const action = context.action!.name;
  const region = context.common?.region ?? '';
  const params = context.params ?? {};
  const reply = await callUpstream({
    url: config.upstreamUrl,
    credentials: config.upstreamCredentials!,
    action,
    version: API_VERSION,
    region: context.common?.region,
    params,
    timeoutMs: config.urlTimeoutMs,
  });
  const recording = makeRecording(action, region, params, reply, config.recordImages);
  await mkdir(config.recordingsDir, { recursive: true });
  await writeFile(
    path.join(config.recordingsDir, `${action}-${recording.key.slice(0, 16)}.json`),
    `${JSON.stringify(recording, null, 2)}\n`,
  );
  context.recorded = recording.key;
  answerWith(context, recording.response);
}
