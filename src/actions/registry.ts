/** Every action the emulator serves, by its Tencent name. */
import { qrcodeOcr } from './qrcode-ocr.js';
import { recognizeHealthCodeOcr } from './recognize-health-code-ocr.js';
import type { ActionDefinition } from './types.js';

const actions = [qrcodeOcr, recognizeHealthCodeOcr] as unknown as readonly ActionDefinition[];

export const ACTIONS: ReadonlyMap<string, ActionDefinition> = new Map(actions.map((a) => [a.name, a]));

/** The version every action here belongs to. */
export const API_VERSION = '2018-11-19';
