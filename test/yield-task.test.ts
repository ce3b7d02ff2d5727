import { MessageChannel as NodeMessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { yieldTask, yieldVia } from '../src/util/yield-task.ts';

describe('yieldTask', () => {
  it('lets a task queued before it run first (Node: setImmediate)', async () => {
    const seen: string[] = [];
    setImmediate(() => seen.push('queued task'));
    await yieldTask();
    seen.push('after yield');
    expect(seen).toEqual(['queued task', 'after yield']);
  });

  it('over a MessageChannel (the browser path) resolves every waiting yield, in order, without a timer', async () => {
    const channel = new NodeMessageChannel() as unknown as MessageChannel;
    const yieldOnce = yieldVia(channel);
    const order: number[] = [];
    await Promise.all([1, 2, 3].map((n) => yieldOnce().then(() => order.push(n))));
    expect(order).toEqual([1, 2, 3]);
    // A timer queued now must not be what let the next yield resolve: the message arrives first.
    let timerFired = false;
    const timer = setTimeout(() => (timerFired = true), 20);
    await yieldOnce();
    expect(timerFired).toBe(false);
    clearTimeout(timer);
    channel.port1.close();
  });
});
