/**
 * Test-only magic images, honoured by the worker only when the engine was created with
 * `testHooks: true`: a job whose bytes start with one of these never finishes, or kills its thread.
 */
export const TEST_HANG = 'TEST-HOOK:HANG';
export const TEST_CRASH = 'TEST-HOOK:CRASH';
