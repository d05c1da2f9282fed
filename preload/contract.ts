/**
 * The one contract between the renderer and the core.
 *
 * Every command has an input and an output schema, every event a payload
 * schema. The core validates every call against these schemas (for both
 * transports, Electron IPC and WebSocket); the renderer's client and the
 * core's handler types are derived from this file and nowhere else.
 *
 * Pure TypeScript + zod: imported by main (no DOM), preload and renderer.
 */
import * as z from 'zod';

const MAX_JID = 3071; // RFC 7622: three parts of at most 1023 bytes each

/** A bare JID as typed by a user: local@domain, no resource. */
export const BareJid = z
  .string()
  .trim()
  .min(3)
  .max(MAX_JID)
  .regex(/^[^@/\s"&'<>:]+@[^@/\s]+$/u, 'expected an address like name@example.org');

/** Optional "host" or "host:port" override; empty means SRV lookup. */
export const ServerOverride = z
  .string()
  .trim()
  .max(300)
  .regex(/^$|^(\[[0-9a-fA-F:.]+\]|[^\s:/[\]]+)(:\d{1,5})?$/u, 'expected host or host:port');

export const AccountId = z.string().min(3).max(MAX_JID);

export const ConnectionStatus = z.enum(['offline', 'connecting', 'online', 'error']);
export type ConnectionStatus = z.infer<typeof ConnectionStatus>;

export const ErrorCode = z.enum([
  'bad-request',
  'unknown-command',
  'not-found',
  'auth-failed',
  'dns-failed',
  'connection-refused',
  'timeout',
  'tls-failed',
  'stream-error',
  'network',
  'not-connected',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorInfo = z.object({ code: ErrorCode, message: z.string() });
export type ErrorInfo = z.infer<typeof ErrorInfo>;

export const AccountState = z.object({
  id: AccountId,
  jid: BareJid,
  /** The user's server override ("host" or "host:port"); "" means SRV lookup. */
  server: z.string(),
  status: ConnectionStatus,
  error: ErrorInfo.optional(),
});
export type AccountState = z.infer<typeof AccountState>;

export const Show = z.enum(['chat', 'available', 'away', 'xa', 'dnd', 'offline']);
export type Show = z.infer<typeof Show>;

export const Contact = z.object({
  accountId: AccountId,
  jid: BareJid,
  /** Display name: roster name, else the JID. */
  name: z.string(),
  subscription: z.enum(['none', 'to', 'from', 'both']),
  groups: z.array(z.string()),
  show: Show,
  status: z.string().optional(),
});
export type Contact = z.infer<typeof Contact>;

export const MessageState = z.enum(['pending', 'sent', 'received', 'failed']);
export type MessageState = z.infer<typeof MessageState>;

export const Message = z.object({
  /** Local archive row id: increasing in arrival order. */
  id: z.number().int(),
  accountId: AccountId,
  peer: BareJid,
  direction: z.enum(['in', 'out']),
  body: z.string(),
  /** Milliseconds since the epoch (the original time for delayed messages). */
  timestamp: z.number(),
  state: MessageState,
});
export type Message = z.infer<typeof Message>;

export const Conversation = z.object({
  accountId: AccountId,
  peer: BareJid,
  name: z.string(),
  lastBody: z.string().optional(),
  lastTimestamp: z.number().optional(),
});
export type Conversation = z.infer<typeof Conversation>;

const MAX_BODY = 64 * 1024;
const Empty = z.object({}).strict();

/** Commands: renderer -> core, each answered once. */
export const commands = {
  'app.snapshot': {
    input: Empty,
    output: z.object({ accounts: z.array(AccountState) }),
  },
  /**
   * Connects (adding the account on its first success) and answers once online;
   * fails with a clear error (e.g. 'auth-failed': "Wrong address or password.").
   * Progress is also reported through 'account.state' events.
   */
  'account.signIn': {
    input: z
      .object({ jid: BareJid, password: z.string().min(1).max(1024), server: ServerOverride.optional() })
      .strict(),
    output: AccountState,
  },
  'account.signOut': {
    input: z.object({ accountId: AccountId }).strict(),
    output: AccountState,
  },
  'roster.list': {
    input: z.object({ accountId: AccountId }).strict(),
    output: z.object({ contacts: z.array(Contact) }),
  },
  'conversations.list': {
    input: z.object({ accountId: AccountId }).strict(),
    output: z.object({ conversations: z.array(Conversation) }),
  },
  'conversation.open': {
    input: z.object({ accountId: AccountId, peer: BareJid }).strict(),
    output: Conversation,
  },
  'messages.list': {
    input: z
      .object({
        accountId: AccountId,
        peer: BareJid,
        /** Only messages with id < before (paging backwards). */
        before: z.number().int().positive().optional(),
        limit: z.number().int().min(1).max(500).optional(),
      })
      .strict(),
    /** Oldest first. */
    output: z.object({ messages: z.array(Message) }),
  },
  'message.send': {
    input: z
      .object({
        accountId: AccountId,
        to: BareJid,
        body: z
          .string()
          .max(MAX_BODY)
          .refine((s) => s.trim().length > 0, 'message is empty'),
      })
      .strict(),
    output: Message,
  },
} as const;

/** Events: core -> renderer, pushed to every connected client. */
export const events = {
  'account.state': AccountState,
  'roster.updated': z.object({
    accountId: AccountId,
    contacts: z.array(Contact),
    removed: z.array(BareJid),
  }),
  'conversation.updated': Conversation,
  'message.added': Message,
  'message.updated': Message,
} as const;

export type Commands = typeof commands;
export type Events = typeof events;
export type CommandName = keyof Commands;
export type EventName = keyof Events;
export type CommandInput<N extends CommandName> = z.input<Commands[N]['input']>;
export type CommandArgs<N extends CommandName> = z.output<Commands[N]['input']>;
export type CommandOutput<N extends CommandName> = z.output<Commands[N]['output']>;
export type EventPayload<N extends EventName> = z.output<Events[N]>;

/** What the core implements: one handler per command, typed from the schemas. */
export type Handlers = {
  [N in CommandName]: (input: CommandArgs<N>) => Promise<CommandOutput<N>>;
};

/** What the renderer calls: one method per command, typed from the schemas. */
export interface Client {
  call<N extends CommandName>(name: N, input: CommandInput<N>): Promise<CommandOutput<N>>;
  on<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): () => void;
}

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(commands, name);
}
