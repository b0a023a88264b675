import type { ApiContext, Stage } from './context.js';

/** Runs the stages in order on one request's context; a stage ends the run by throwing. */
export async function runStages(stages: readonly Stage[], context: ApiContext): Promise<void> {
  for (const run of stages) {
    const pending = run(context); // most stages are synchronous: await only a promise
    if (pending) await pending;
  }
}
