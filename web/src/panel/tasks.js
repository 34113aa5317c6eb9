// Splitting work into tasks, so input and frames get their turn on a slow phone.

/** Ends the current task: resolves in a new one (scheduler.yield where there is one). */
export const yieldToMain = () =>
  typeof globalThis.scheduler?.yield === 'function'
    ? globalThis.scheduler.yield()
    : new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Runs `fn` in a task after the next frame has been drawn: work that would otherwise force the
 * frame's style and layout early (a focus()) waits until the browser has done them anyway.
 * Hidden documents draw no frames, so there it runs after a plain timeout.
 */
export function afterNextFrame(fn) {
  if (typeof requestAnimationFrame !== 'function' || document.hidden) {
    setTimeout(fn, 0);
    return;
  }
  requestAnimationFrame(() => setTimeout(fn, 0));
}
