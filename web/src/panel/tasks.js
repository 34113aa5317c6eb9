// Splitting work into tasks, so input and frames get their turn on a slow phone.

/** Ends the current task: resolves in a new one (scheduler.yield where there is one). */
export const yieldToMain = () =>
  typeof globalThis.scheduler?.yield === 'function'
    ? globalThis.scheduler.yield()
    : new Promise((resolve) => setTimeout(resolve, 0));
