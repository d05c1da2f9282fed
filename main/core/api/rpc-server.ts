/**
 * The core side of the contract: one dispatcher for every transport.
 * Parses frames, rejects unknown names and invalid input, validates output,
 * and fans events out to every connected session.
 */
import {
  commands,
  events,
  isCommandName,
  type ErrorInfo,
  type EventName,
  type EventPayload,
  type Handlers,
} from '../../../preload/contract.ts';
import { CallFrame, MAX_FRAME, type ResultFrame } from '../../../preload/rpc.ts';
import { toErrorInfo } from '../errors.ts';
import type { Logger } from '../log.ts';

export interface Session {
  /** Hand one text frame from the renderer to the core. */
  receive(frame: string): Promise<void>;
  close(): void;
}

export interface RpcServer {
  /** A new renderer connection; `send` writes a frame back to it. */
  connect(send: (frame: string) => void): Session;
  emit<N extends EventName>(name: N, payload: EventPayload<N>): void;
}

export function createRpcServer(handlers: Handlers, log: Logger): RpcServer {
  const sessions = new Set<(frame: string) => void>();

  async function dispatch(frame: CallFrame): Promise<ResultFrame> {
    const { id, name } = frame;
    if (!isCommandName(name)) {
      return {
        kind: 'result',
        id,
        ok: false,
        error: { code: 'unknown-command', message: `unknown command: ${name.slice(0, 100)}` },
      };
    }
    const spec = commands[name];
    const parsed = spec.input.safeParse(frame.input);
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
      return {
        kind: 'result',
        id,
        ok: false,
        error: { code: 'bad-request', message: `invalid arguments for ${name}: ${detail}` },
      };
    }
    try {
      const handler = handlers[name] as (input: unknown) => Promise<unknown>;
      const output: unknown = await handler(parsed.data);
      const checked = spec.output.safeParse(output);
      if (!checked.success) {
        log.error('rpc', `handler ${name} returned invalid output`, checked.error.message);
        return { kind: 'result', id, ok: false, error: { code: 'internal', message: 'internal error' } };
      }
      return { kind: 'result', id, ok: true, output: checked.data };
    } catch (err) {
      const error: ErrorInfo = toErrorInfo(err);
      if (error.code === 'internal') log.error('rpc', `handler ${name} failed`, err);
      return { kind: 'result', id, ok: false, error };
    }
  }

  return {
    connect(send) {
      sessions.add(send);
      let open = true;
      return {
        async receive(text) {
          if (text.length > MAX_FRAME) {
            log.warn('rpc', `dropped oversized frame (${String(text.length)} chars)`);
            return;
          }
          let frame: CallFrame;
          try {
            frame = CallFrame.parse(JSON.parse(text));
          } catch {
            log.warn('rpc', 'dropped malformed frame');
            return;
          }
          const result = await dispatch(frame);
          if (open) send(JSON.stringify(result));
        },
        close() {
          open = false;
          sessions.delete(send);
        },
      };
    },
    emit(name, payload) {
      if (sessions.size === 0) return; // nobody listens: skip the validation and serialisation
      const checked = events[name].safeParse(payload);
      if (!checked.success) {
        log.error('rpc', `refusing invalid ${name} event`, checked.error.message);
        return;
      }
      const frame = JSON.stringify({ kind: 'event', name, payload: checked.data });
      for (const send of sessions) send(frame);
    },
  };
}
