/**
 * The replay stage (TCOCR_MODE=replay), just before the action runs: a call whose key has a
 * recording is answered from it — the recorded success fields (a new RequestId is added as for
 * every reply) or the recorded error, code and message as the real service sent them; those codes
 * come from the real service and need not be in the emulator's own error table. A miss is left to
 * the action (`TCOCR_REPLAY_MISS=engine`) or answered with UnsupportedOperation naming the key.
 */
import { ApiError } from '../errors/api-error.js';
import type { ErrorCode } from '../errors/codes.js';
import type { Stage } from '../pipeline/context.js';
import { recordingKey } from './key.js';

export const answerFromRecording: Stage = (context) => {
  const { config } = context;
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
  const error = recording.response.Error as { Code: string; Message: string } | undefined;
  if (error) throw new ApiError(error.Code as ErrorCode, [], { message: error.Message });
  context.result = { ...recording.response };
};
