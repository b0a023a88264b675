import { type ErrorCode, type Language, formatMessage } from './codes.js';

const brand = Symbol.for('tencentcloud-ocr-emulator.ApiError');

/**
 * A Tencent API error. Anything below the protocol layer throws one; only the protocol layer
 * turns it into an envelope. `args` fill the message template of the code in the error table;
 * `message` (when given) replaces the template, e.g. for a forced error with a custom text.
 */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly args: readonly string[];
  readonly customMessage: string | undefined;
  /** Extra facts for the log and the request journal (never sent to the client, never a key). */
  readonly details: Readonly<Record<string, unknown>> | undefined;
  readonly [brand] = true;

  constructor(
    code: ErrorCode,
    args: readonly string[] = [],
    options: { message?: string; cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    // An ApiError is an answer, not a fault: its stack is never read, and capturing one is the
    // single most expensive step of a rejected request. An unexpected error keeps its own stack
    // as `cause`.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(options.message ?? formatMessage(code, 'en-US', args), { cause: options.cause });
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
    this.name = 'ApiError';
    this.code = code;
    this.args = args;
    this.customMessage = options.message;
    this.details = options.details;
  }

  /** The message in the caller's language. */
  messageIn(language: Language): string {
    return this.customMessage ?? formatMessage(this.code, language, this.args);
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
  }
}
