/**
 * Let the event loop run (a worker's incoming messages, a cancel among them) and come back as soon
 * as it has, for loops that do seconds of synchronous work in slices.
 *
 * Why not `setTimeout(r, 0)`: the HTML timer rules clamp a timeout set from inside a timer
 * callback, nested five deep, to at least 4 ms. A training loop that yields every 50 ms from the
 * previous yield's continuation is always that deep, so each yield slept 4 ms: 7% of the loop.
 * A MessageChannel message is a task of its own and has no clamp. Node has setImmediate, and a
 * MessageChannel there would keep the process alive while its port is open.
 */

/** A yield that posts a message to itself over `channel` and resolves when it arrives. */
export function yieldVia(channel: MessageChannel): () => Promise<void> {
  const waiting: (() => void)[] = [];
  channel.port1.onmessage = () => waiting.shift()?.();
  return () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      channel.port2.postMessage(undefined);
    });
}

export const yieldTask: () => Promise<void> =
  typeof setImmediate === 'function'
    ? () => new Promise<void>((resolve) => setImmediate(resolve))
    : typeof MessageChannel === 'function'
      ? yieldVia(new MessageChannel())
      : () => new Promise<void>((resolve) => setTimeout(resolve, 0));
