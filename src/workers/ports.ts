/**
 * The two ends of a Web Worker as Label Lab's worker protocols see them, typed by the messages
 * each end sends. A protocol's worker side is a function over a `WorkerPort` (a worker's global
 * scope in the browser, a MessagePort in the tests); its client takes a factory of `WorkerLike`
 * (a Worker in the browser, the other end of a MessageChannel in the tests).
 */

/** What a client needs of a Worker: it posts `Request`s and hears `Reply`s. */
export interface WorkerLike<Request, Reply> {
  postMessage(message: Request, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<Reply>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  /** A reply that could not be deserialised; optional, as a MessagePort-backed test double has none. */
  onmessageerror?: ((event: MessageEvent) => void) | null;
  terminate(): void;
}

/** What a worker's side needs of its port: it hears `Request`s and posts `Reply`s. */
export interface WorkerPort<Request, Reply> {
  postMessage(message: Reply, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: { data: Request }) => void): void;
}
