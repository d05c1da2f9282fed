/**
 * Wire frames of the contract and the renderer-side client.
 *
 * Both transports carry the same JSON text frames:
 *   call   renderer -> core  { kind: 'call', id, name, input }
 *   result core -> renderer  { kind: 'result', id, ok, output | error }
 *   event  core -> renderer  { kind: 'event', name, payload }
 */
import * as z from 'zod';
import { ErrorInfo, type Client, type CommandName, type EventName, type EventPayload } from './contract.ts';

export { MAX_FRAME } from './channel.ts';

export const CallFrame = z.object({
  kind: z.literal('call'),
  id: z.number().int().nonnegative(),
  name: z.string().max(100),
  input: z.unknown(),
});
export type CallFrame = z.infer<typeof CallFrame>;

export const ResultFrame = z.union([
  z.object({ kind: z.literal('result'), id: z.number(), ok: z.literal(true), output: z.unknown() }),
  z.object({ kind: z.literal('result'), id: z.number(), ok: z.literal(false), error: ErrorInfo }),
]);
export type ResultFrame = z.infer<typeof ResultFrame>;

export const EventFrame = z.object({ kind: z.literal('event'), name: z.string(), payload: z.unknown() });
export type EventFrame = z.infer<typeof EventFrame>;

export const ServerFrame = z.union([ResultFrame, EventFrame]);

/** The narrow surface a transport offers the client (the preload exposes exactly this). */
export interface FramePort {
  send(frame: string): void;
  onFrame(listener: (frame: string) => void): void;
}

/** An error answered by the core, with the contract's error code. */
export class RpcError extends Error {
  readonly code: ErrorInfo['code'];
  /** For certificate errors: the certificate the server presented. */
  readonly certificate: ErrorInfo['certificate'];
  constructor(info: ErrorInfo) {
    super(info.message);
    this.name = 'RpcError';
    this.code = info.code;
    this.certificate = info.certificate;
  }
}

/** The renderer's typed client over any FramePort. */
export function createClient(port: FramePort): Client {
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();

  port.onFrame((text) => {
    let frame: z.infer<typeof ServerFrame>;
    try {
      frame = ServerFrame.parse(JSON.parse(text));
    } catch {
      return; // not ours: ignore
    }
    if (frame.kind === 'event') {
      for (const listener of listeners.get(frame.name) ?? []) listener(frame.payload);
      return;
    }
    const waiter = pending.get(frame.id);
    if (!waiter) return;
    pending.delete(frame.id);
    if (frame.ok) waiter.resolve(frame.output);
    else waiter.reject(new RpcError(frame.error));
  });

  return {
    call(name: CommandName, input: unknown) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        port.send(JSON.stringify({ kind: 'call', id, name, input } satisfies CallFrame));
      });
    },
    on(name: EventName, listener: (payload: EventPayload<EventName>) => void) {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      const l = listener as (payload: unknown) => void;
      set.add(l);
      return () => set.delete(l);
    },
  } as Client;
}
