/** Every action the emulator serves, by its Tencent name, and the other OCR actions it knows. */
import { qrcodeOcr } from './qrcode-ocr.js';
import { recognizeHealthCodeOcr } from './recognize-health-code-ocr.js';
import { Type } from '@sinclair/typebox';
import { ApiError } from '../errors/api-error.js';
import { OCR_ACTIONS } from './ocr-actions.js';
import type { ActionDefinition } from './types.js';

const actions = [qrcodeOcr, recognizeHealthCodeOcr] as unknown as readonly ActionDefinition[];

export const ACTIONS: ReadonlyMap<string, ActionDefinition> = new Map(actions.map((a) => [a.name, a]));

/**
 * An OCR action without an engine here: any business parameters, every region; answered by a fault
 * rule with a canned result when one matches (the fault stage runs before the action), else
 * UnsupportedOperation saying how to supply one.
 */
function notEmulated(name: string): ActionDefinition {
  return {
    name,
    params: Type.Object({}, { additionalProperties: true }),
    regions: () => '*',
    offline: () => false,
    handle: async () => {
      throw new ApiError('UnsupportedOperation', [name]);
    },
  };
}

const others = new Map([...OCR_ACTIONS].filter((name) => !ACTIONS.has(name)).map((name) => [name, notEmulated(name)]));

/** The action a request names: emulated, known but not emulated, or undefined (InvalidAction). */
export function actionNamed(name: string): ActionDefinition | undefined {
  return ACTIONS.get(name) ?? others.get(name);
}

/** The version every action here belongs to. */
export const API_VERSION = '2018-11-19';
