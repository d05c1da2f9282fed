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
import { Settings, SettingsPatch } from './settings.ts';

const MAX_JID = 3071; // RFC 7622: three parts of at most 1023 bytes each

/** A bare JID as typed by a user: local@domain, no resource. */
export const BareJid = z
  .string()
  .trim()
  .min(3)
  .max(MAX_JID)
  .regex(/^[^@/\s"&'<>:]+@[^@/\s]+$/u, 'expected an address like name@example.org');

/** A bare JID or, for a gateway (XEP-0100) in the roster, a bare domain. */
export const EntityJid = z
  .string()
  .trim()
  .min(1)
  .max(MAX_JID)
  .regex(/^([^@/\s"&'<>:]+@)?[^@/\s]+$/u, 'expected an address like name@example.org');

/** Optional "host" or "host:port" override; empty means SRV lookup. */
export const ServerOverride = z
  .string()
  .trim()
  .max(300)
  .regex(/^$|^(\[[0-9a-fA-F:.]+\]|[^\s:/[\]]+)(:\d{1,5})?$/u, 'expected host or host:port');

export const AccountId = z.string().min(3).max(MAX_JID);

/**
 * disabled: the user switched the account off; offline: not connected, nothing planned
 * (signed out, or waiting for a password); connecting; online; waiting: connection lost,
 * the next attempt is at `nextRetryAt`; error: stopped on a failure that retrying cannot
 * fix (wrong password, certificate, conflict): the user must act.
 */
export const ConnectionStatus = z.enum(['disabled', 'offline', 'connecting', 'online', 'waiting', 'error']);
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
  /** The server's certificate is not trusted; `certificate` says which it is. */
  'certificate-untrusted',
  /** A certificate the user pinned for this account was replaced: refused, never silently accepted. */
  'certificate-changed',
  /** Another client took our resource (stream conflict). */
  'conflict',
  'policy-violation',
  /** The server offered only weaker authentication than this account used before. */
  'auth-downgrade',
  /** In-band registration (XEP-0077) answers. */
  'registration-conflict',
  'not-acceptable',
  'not-allowed',
  /** The server or the contact's server does not offer this (no directory, no avatar support, …). */
  'not-supported',
  /** The server answered no within the time allowed. */
  'no-answer',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const CertificateInfo = z.object({
  subject: z.string(),
  issuer: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  /** SHA-256 of the DER certificate, colon-separated upper-case hex (as browsers show it). */
  fingerprint256: z.string(),
  /** Why verification failed, in words (e.g. "self-signed certificate in certificate chain"). */
  reason: z.string(),
});
export type CertificateInfo = z.infer<typeof CertificateInfo>;

export const ErrorInfo = z.object({ code: ErrorCode, message: z.string(), certificate: CertificateInfo.optional() });
export type ErrorInfo = z.infer<typeof ErrorInfo>;

export const AccountState = z.object({
  id: AccountId,
  jid: BareJid,
  /** The user's server override ("host" or "host:port"); "" means SRV lookup. */
  server: z.string(),
  status: ConnectionStatus,
  error: ErrorInfo.optional(),
  enabled: z.boolean(),
  /** The password is kept in the OS keychain (Electron) between runs. */
  rememberPassword: z.boolean(),
  /** The core holds a password for it now (memory or keychain): it can connect without asking. */
  hasPassword: z.boolean(),
  /** When status is 'waiting': the next attempt, ms since the epoch. */
  nextRetryAt: z.number().optional(),
  /** SHA-256 fingerprint of a certificate the user chose to trust for this account. */
  pinnedCertificate: z.string().optional(),
});
export type AccountState = z.infer<typeof AccountState>;

export const Show = z.enum(['chat', 'available', 'away', 'xa', 'dnd', 'offline']);
export type Show = z.infer<typeof Show>;

export const Contact = z.object({
  accountId: AccountId,
  /** A bare JID; a gateway (XEP-0100) in the roster is a bare domain. */
  jid: EntityJid,
  /** Display name: roster name, else the JID. */
  name: z.string(),
  subscription: z.enum(['none', 'to', 'from', 'both']),
  groups: z.array(z.string()),
  show: Show,
  status: z.string().optional(),
  /** SHA-1 of the contact's avatar (XEP-0084 / XEP-0153): fetch it with 'avatar.get'. */
  avatar: z.string().optional(),
  /** The nickname the contact chose (XEP-0172); `name` already uses it when the roster has none. */
  nick: z.string().optional(),
  /** The name the user gave in the roster, if any (`name` falls back to the nickname, then the JID). */
  rosterName: z.string().optional(),
  /** We asked to see the contact's presence and wait for their answer. */
  pending: z.boolean().optional(),
  /** The contact is on our blocklist (XEP-0191). */
  blocked: z.boolean().optional(),
});
export type Contact = z.infer<typeof Contact>;

/** Our own availability; 'offline' means invisible/unavailable while connected. */
export const OwnShow = z.enum(['chat', 'available', 'away', 'xa', 'dnd', 'offline']);

export const OwnPresence = z.object({
  accountId: AccountId,
  show: OwnShow,
  status: z.string().optional(),
  /** Set by the automatic away (idle): the chosen status comes back on return. */
  auto: z.boolean().optional(),
  /** Recently used statuses with a message, newest first. */
  recent: z.array(z.object({ show: OwnShow, status: z.string() })),
  /**
   * What 'offline' does on this session: 'invisible' (the server has XEP-0186) or
   * 'appear-offline' (no available presence at all); absent until the server is asked.
   */
  invisibility: z.enum(['invisible', 'appear-offline']).optional(),
});
export type OwnPresence = z.infer<typeof OwnPresence>;

/** A presence subscription request waiting for an answer: 'in' from a contact, 'out' ours. */
export const SubscriptionRequest = z.object({
  accountId: AccountId,
  jid: EntityJid,
  direction: z.enum(['in', 'out']),
  nick: z.string().optional(),
  message: z.string().optional(),
  at: z.number(),
});
export type SubscriptionRequest = z.infer<typeof SubscriptionRequest>;

const VcardText = z.string().max(1000).optional();
/** XEP-0054 vCard fields Parley reads and edits (the photo goes separately, as an avatar). */
export const Vcard = z
  .object({
    fullName: VcardText,
    nickname: VcardText,
    givenName: VcardText,
    familyName: VcardText,
    organisation: z.object({ name: VcardText, unit: VcardText }).strict().optional(),
    title: VcardText,
    role: VcardText,
    emails: z
      .array(z.object({ address: z.string().max(1000), kind: z.enum(['home', 'work']).optional() }).strict())
      .max(20),
    phones: z
      .array(
        z
          .object({
            number: z.string().max(1000),
            kind: z.enum(['home', 'work', 'cell', 'voice', 'fax', 'pager', 'video', 'msg']).optional(),
          })
          .strict(),
      )
      .max(20),
    addresses: z
      .array(
        z
          .object({
            street: VcardText,
            locality: VcardText,
            region: VcardText,
            postcode: VcardText,
            country: VcardText,
            kind: z.enum(['home', 'work']).optional(),
          })
          .strict(),
      )
      .max(20),
    birthday: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/u)
      .optional(),
    url: VcardText,
    description: z.string().max(8000).optional(),
  })
  .strict();
export type Vcard = z.infer<typeof Vcard>;

/** One connected resource of a contact, with what we know about its client. */
export const ContactResource = z.object({
  resource: z.string(),
  show: Show,
  status: z.string().optional(),
  priority: z.number().int(),
  /** The client's name from its caps identity (XEP-0115), or from XEP-0092. */
  client: z.string().optional(),
  /** XEP-0092 software version, when the client answered. */
  version: z.string().optional(),
  os: z.string().optional(),
  /** XEP-0319: idle since (ms since the epoch). */
  idleSince: z.number().optional(),
});
export type ContactResource = z.infer<typeof ContactResource>;

export const ContactProfile = z.object({
  accountId: AccountId,
  jid: BareJid,
  name: z.string(),
  /** Undefined when the contact has no card or it could not be fetched. */
  vcard: Vcard.optional(),
  avatar: z.string().optional(),
  resources: z.array(ContactResource),
  /** XEP-0012 when offline: the last logout (ms since the epoch) and its status. */
  lastSeen: z.object({ at: z.number(), status: z.string().optional() }).optional(),
});
export type ContactProfile = z.infer<typeof ContactProfile>;

/** An XEP-0100 gateway (transport) on the server. */
export const GatewayInfo = z.object({
  jid: z.string(),
  type: z.string(),
  name: z.string(),
  registrable: z.boolean(),
  /** We are registered with it (it is in our roster). */
  registered: z.boolean(),
});
export type GatewayInfo = z.infer<typeof GatewayInfo>;

// File transfer (issue 6): XEP-0096 over XEP-0065 SOCKS5 / XEP-0047 IBB.
/**
 * A file transfer. offered (incoming, waiting for Accept/Decline) → waiting (for the other
 * side: to accept, or to open a stream) → connecting → transferring → completed, or failed
 * with a reason (and a sentence in `error`).
 */
export const TransferState = z.enum(['offered', 'waiting', 'connecting', 'transferring', 'completed', 'failed']);
export const TransferReason = z.enum([
  'declined',
  'timed-out',
  'no-streamhost',
  'size-limit',
  'hash-mismatch',
  'cancelled',
  'error',
  /** Transfer history (issue 6): it was running when Parley quit or crashed; its partial file was removed at the next start. */
  'interrupted',
  /** Stalls and disconnects (issue 6, jingle): our account, or the other side, went offline before the transfer ended. */
  'offline',
]);
export const TransferMethod = z.enum(['socks5-direct', 'socks5-proxy', 'ibb', 'http-upload']);
/** The protocol a transfer uses (issue 6, Jingle + method choice): Jingle (XEP-0234), stream initiation (XEP-0096), or a shared link (XEP-0363). */
export const TransferProtocol = z.enum(['jingle', 'si', 'http-upload']);
/**
 * Why 'transfer.sendFile' chose its protocol: the recipient's resource supports Jingle file
 * transfer, or only XEP-0096; or it is offline, or supports no direct method (so HTTP upload).
 */
export const TransferChoice = z.enum(['peer-jingle', 'peer-si', 'peer-offline', 'peer-no-direct']);
export const TransferId = z.string().regex(/^[0-9a-f]{24}$/u);
/** Staging (issue 6, renderer side): a file being copied in from the renderer. */
export const StageId = z.string().regex(/^[0-9a-f]{24}$/u);
/** A staging chunk's raw size limit (its base64 must fit in one frame: MAX_FRAME is 256 KiB). */
export const STAGE_CHUNK_BYTES = 128 * 1024;
export const STAGE_CHUNK_BASE64 = 4 * Math.ceil(STAGE_CHUNK_BYTES / 3);
export const Transfer = z.object({
  id: TransferId,
  accountId: AccountId,
  /** The other side's full JID. */
  peer: z.string(),
  direction: z.enum(['in', 'out']),
  /** Incoming: the sanitised name it will be saved under (or a numbered variant). */
  name: z.string(),
  size: z.number().int().nonnegative(),
  mimeType: z.string().optional(),
  description: z.string().optional(),
  /** XEP-0300 sha-256 (base64) announced with the offer. */
  sha256: z.string().optional(),
  state: TransferState,
  bytes: z.number().int().nonnegative(),
  /** Bytes per second while transferring. */
  speed: z.number().nonnegative(),
  method: TransferMethod.optional(),
  protocol: TransferProtocol.optional(),
  /** Outgoing, from 'transfer.sendFile': why `protocol` was chosen. */
  choice: TransferChoice.optional(),
  reason: TransferReason.optional(),
  error: z.string().optional(),
  /** Outgoing: the file sent; incoming: where it was saved, once completed. */
  path: z.string().optional(),
  /** HTTP upload (XEP-0363): the shared link (an upload's, once completed; a download's). */
  url: z.string().optional(),
  startedAt: z.number(),
  updatedAt: z.number(),
});
export type Transfer = z.infer<typeof Transfer>;

/**
 * Outbound: queued (stored, not yet written to a stream) → sent (written) → acked (the
 * server took it: XEP-0198) → delivered (XEP-0184 receipt) → read (XEP-0333 displayed),
 * or failed (an error stanza; `error` says why; can be retried). Inbound: received.
 */
export const MessageState = z.enum(['queued', 'sent', 'acked', 'delivered', 'read', 'failed', 'received']);
export type MessageState = z.infer<typeof MessageState>;

/**
 * A message's local id: increasing in arrival order, which is the display order. History
 * fetched from the server on demand is older than everything stored, so it gets ids below
 * the smallest (zero and negative ones included).
 */
export const MessageId = z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);

/** HTTP upload (issue 6): a file shared by link; the name is already sanitised. */
export const MessageAttachment = z.object({
  url: z.string().max(8192),
  name: z.string().max(255).optional(),
  size: z.number().int().nonnegative().optional(),
  mediaType: z.string().max(255).optional(),
});
export type MessageAttachment = z.infer<typeof MessageAttachment>;

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
  /** Why a message failed, in words. */
  error: z.string().optional(),
  /** Corrected (XEP-0308) at this time; 'message.edits' lists the earlier bodies. */
  editedAt: z.number().optional(),
  /** Deleted for everyone (XEP-0424): a tombstone, its body is empty. */
  retracted: z.boolean().optional(),
  /** A reply (XEP-0461) to the message with this local id: its start, and who wrote it. */
  replyTo: z
    .object({ id: z.number().int(), preview: z.string().optional(), direction: z.enum(['in', 'out']).optional() })
    .optional(),
  /** Reactions (XEP-0444) per emoji: how many people, and whether we are one of them. */
  reactions: z.array(z.object({ emoji: z.string(), count: z.number().int(), mine: z.boolean() })).optional(),
  /** HTTP upload (issue 6): a shared file (an XEP-0066 https link that is the whole body); 'attachment.download' saves it. */
  attachment: MessageAttachment.optional(),
});
export type Message = z.infer<typeof Message>;

export const Conversation = z.object({
  accountId: AccountId,
  peer: BareJid,
  name: z.string(),
  lastBody: z.string().optional(),
  lastTimestamp: z.number().optional(),
  /** Inbound messages after the read mark. */
  unread: z.number().int().nonnegative().optional(),
  /** The newest message the user has seen (local id; 0: none): the unread separator goes after it. */
  readUpTo: z.number().int().nonnegative().optional(),
  /** The unsent text of the composer, kept across restarts. */
  draft: z.string().optional(),
  /** Open as a tab (reopened on restart). */
  tab: z.boolean().optional(),
  /** Attention (issue 7): notifications muted until this time (epoch ms); null: not muted; absent: unchanged (a new message's event). */
  mutedUntil: z.number().int().nonnegative().nullable().optional(),
  /** Attention (issue 7): a new message plays a sound; absent: unchanged (a new message's event). */
  sound: z.boolean().optional(),
});
export type Conversation = z.infer<typeof Conversation>;

/** Part of a message's text with the UTF-16 ranges [start, end) that matched (plain text, not HTML). */
export const Snippet = z.object({
  text: z.string(),
  highlights: z.array(z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()])),
});
export type Snippet = z.infer<typeof Snippet>;

/** One message found by 'search.messages'. */
export const SearchHit = z.object({
  messageId: z.number().int(),
  accountId: AccountId,
  peer: BareJid,
  direction: z.enum(['in', 'out']),
  timestamp: z.number(),
  snippet: Snippet,
});
export type SearchHit = z.infer<typeof SearchHit>;

/** One field of a registration form (XEP-0077 legacy fields or an XEP-0004 data form). */
export const FormField = z.object({
  var: z.string(),
  type: z.enum([
    'text-single',
    'text-private',
    'text-multi',
    'boolean',
    'list-single',
    'list-multi',
    'fixed',
    'hidden',
    'jid-single',
  ]),
  label: z.string(),
  required: z.boolean(),
  value: z.string().optional(),
  options: z.array(z.object({ label: z.string(), value: z.string() })).optional(),
  /** For a CAPTCHA field (XEP-0158): the challenge image as a data: URI (XEP-0231). */
  media: z.string().optional(),
});
export type FormField = z.infer<typeof FormField>;

export const RegistrationForm = z.object({
  /** Opaque handle of the open registration session with the server. */
  sessionId: z.string(),
  domain: z.string(),
  instructions: z.string().optional(),
  fields: z.array(FormField),
});
export type RegistrationForm = z.infer<typeof RegistrationForm>;

const MAX_BODY = 64 * 1024;
const Empty = z.object({}).strict();

/**
 * Attention (issue 7): what a checked xmpp: link (XEP-0147) asks for. open: a conversation;
 * message: a conversation with the composer filled (`body`); subscribe / roster: add the
 * contact (`name`, `group` prefilled); join: a group chat room (not supported yet).
 */
export const UriRequest = z.object({
  action: z.enum(['open', 'message', 'subscribe', 'roster', 'join']),
  jid: BareJid,
  body: z.string().max(MAX_BODY).optional(),
  name: z.string().max(1024).optional(),
  group: z.string().max(1000).optional(),
});
export type UriRequest = z.infer<typeof UriRequest>;

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
      .object({
        jid: BareJid,
        password: z.string().min(1).max(1024),
        server: ServerOverride.optional(),
        rememberPassword: z.boolean().optional(),
      })
      .strict(),
    output: AccountState,
  },
  /** Connects again now (skipping the backoff wait), with the password the core holds. */
  'account.reconnect': {
    input: z.object({ accountId: AccountId }).strict(),
    output: AccountState,
  },
  /** Changes an account's settings; disabling disconnects, enabling connects (if a password is held). */
  'account.update': {
    input: z
      .object({
        accountId: AccountId,
        server: ServerOverride.optional(),
        enabled: z.boolean().optional(),
        rememberPassword: z.boolean().optional(),
        /** The user accepts the weaker sign-in the server now offers (after 'auth-downgrade'), and connects. */
        allowWeakerSignIn: z.literal(true).optional(),
      })
      .strict(),
    output: AccountState,
  },
  /** Forgets the account on this computer: signs out, deletes its saved password and local history. */
  'account.remove': {
    input: z.object({ accountId: AccountId }).strict(),
    output: z.object({}),
  },
  /** Trusts this certificate (by SHA-256 fingerprint) for this account from now on, then connects. */
  'account.trustCertificate': {
    input: z.object({ accountId: AccountId, fingerprint256: z.string().min(1).max(200) }).strict(),
    output: AccountState,
  },
  /** XEP-0077: changes the password on the server (the account must be online). */
  'account.changePassword': {
    input: z.object({ accountId: AccountId, newPassword: z.string().min(1).max(1024) }).strict(),
    output: AccountState,
  },
  /** XEP-0077: deletes the account on the server, then here; `confirmation` must repeat the address. */
  'account.deleteOnServer': {
    input: z.object({ accountId: AccountId, confirmation: z.string().max(3071) }).strict(),
    output: z.object({}),
  },
  /** XEP-0077: asks `domain`'s server (or `server`) for its registration form. */
  'register.fetchForm': {
    input: z.object({ domain: z.string().trim().min(1).max(1023), server: ServerOverride.optional() }).strict(),
    output: RegistrationForm,
  },
  /** XEP-0077: submits the form; on success the account exists on the server and is added here, signed in. */
  'register.submit': {
    input: z
      .object({
        sessionId: z.string().max(200),
        values: z.record(z.string().max(200), z.string().max(4096)),
        rememberPassword: z.boolean().optional(),
      })
      .strict(),
    output: AccountState,
  },
  /** Ends an open registration session without registering. */
  'register.cancel': {
    input: z.object({ sessionId: z.string().max(200) }).strict(),
    output: z.object({}),
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
        before: MessageId.optional(),
        /** Only messages with id > after, the oldest of them (paging forwards); not with `before`. */
        after: MessageId.optional(),
        limit: z.number().int().min(1).max(500).optional(),
      })
      .strict(),
    /** Oldest first. */
    output: z.object({ messages: z.array(Message) }),
  },
  /**
   * Full-text search over every conversation of every account, newest first. `query`: words
   * (all must match; each also as a prefix) and "quoted phrases"; Chinese, Japanese and Korean
   * by any substring. Pages on with `before` = the last hit's messageId.
   */
  'search.messages': {
    input: z
      .object({
        query: z.string().max(500),
        accountId: AccountId.optional(),
        peer: BareJid.optional(),
        /** Only messages with timestamp >= from (ms since the epoch). */
        from: z.number().int().nonnegative().optional(),
        /** Only messages with timestamp <= to (ms since the epoch). */
        to: z.number().int().nonnegative().optional(),
        /** Default 50. */
        limit: z.number().int().min(1).max(200).optional(),
        /** Only messages with id < before (paging on). */
        before: MessageId.optional(),
      })
      .strict(),
    output: z.object({ hits: z.array(SearchHit) }),
  },
  /** A conversation around one message (a search hit): up to `before` older and `after` newer, oldest first. */
  'messages.around': {
    input: z
      .object({
        accountId: AccountId,
        peer: BareJid,
        messageId: MessageId,
        /** Default 25. */
        before: z.number().int().min(0).max(200).optional(),
        /** Default 25. */
        after: z.number().int().min(0).max(200).optional(),
      })
      .strict(),
    /** Oldest first, the message itself included ('not-found' when it is not in that conversation). */
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
        /** A reply (XEP-0461) to the message with this local id. */
        replyTo: MessageId.optional(),
        /** HTTP upload (issue 6): the body is this https link (an upload's), sent with XEP-0066 out-of-band data. */
        oobUrl: z.string().min(9).max(8192).optional(),
      })
      .strict(),
    output: Message,
  },
  /** XEP-0308: corrects our newest message in its conversation (applied here first, then sent). */
  'message.correct': {
    input: z
      .object({
        accountId: AccountId,
        messageId: MessageId,
        body: z
          .string()
          .max(MAX_BODY)
          .refine((s) => s.trim().length > 0, 'message is empty'),
      })
      .strict(),
    output: Message,
  },
  /** XEP-0424: deletes one of our messages for everyone (a tombstone stays). */
  'message.retract': {
    input: z.object({ accountId: AccountId, messageId: MessageId }).strict(),
    output: Message,
  },
  /** XEP-0444: our whole set of reactions to a message (empty removes ours). */
  'message.react': {
    input: z
      .object({
        accountId: AccountId,
        messageId: MessageId,
        reactions: z.array(z.string().trim().min(1).max(32)).max(20),
      })
      .strict(),
    output: Message,
  },
  /** One page of older history of a conversation from the server archive (XEP-0313), stored below what is here. */
  'messages.fetchOlder': {
    input: z.object({ accountId: AccountId, peer: BareJid }).strict(),
    /** `complete`: the server has nothing older. New messages also arrive as message.added events. */
    output: z.object({ fetched: z.number().int().nonnegative(), complete: z.boolean() }),
  },
  /** A conversation as plain text or JSON, for the renderer to save. */
  'conversation.export': {
    input: z.object({ accountId: AccountId, peer: BareJid, format: z.enum(['text', 'json']) }).strict(),
    output: z.object({ filename: z.string(), mime: z.string(), content: z.string() }),
  },
  /** Deletes a conversation's local history (the server's archive keeps its copy). */
  'conversation.deleteHistory': {
    input: z.object({ accountId: AccountId, peer: BareJid }).strict(),
    output: z.object({ removed: z.number().int().nonnegative() }),
  },
  /** The earlier bodies of a corrected message, oldest first. */
  'message.edits': {
    input: z.object({ accountId: AccountId, messageId: MessageId }).strict(),
    output: z.object({ edits: z.array(z.object({ body: z.string(), replacedAt: z.number() })) }),
  },
  /** XEP-0085: what the user is doing in a conversation's composer (sent only to contacts who use chat states). */
  'chat.setState': {
    input: z
      .object({ accountId: AccountId, peer: BareJid, state: z.enum(['active', 'composing', 'paused', 'inactive']) })
      .strict(),
    output: z.object({}),
  },
  /** The user has seen the conversation up to this message: moves the read mark, sends XEP-0333 displayed. */
  'conversation.markRead': {
    input: z.object({ accountId: AccountId, peer: BareJid, upTo: MessageId }).strict(),
    output: Conversation,
  },
  /** Keeps the composer's unsent text (and whether the conversation is open as a tab). */
  'conversation.update': {
    input: z
      .object({
        accountId: AccountId,
        peer: BareJid,
        draft: z.string().max(MAX_BODY).optional(),
        tab: z.boolean().optional(),
        /** Mutes notifications until this time (epoch ms); null unmutes. */
        mutedUntil: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).nullable().optional(),
        /** A new message plays a sound (when notifications do). */
        sound: z.boolean().optional(),
      })
      .strict(),
    output: Conversation,
  },
  /** Sends a failed message again (same identity: receivers de-duplicate). */
  'message.retry': {
    input: z.object({ accountId: AccountId, messageId: MessageId }).strict(),
    output: Message,
  },
  /**
   * Opens a link from a message outside the app, after the user clicked it: http(s) in the
   * system browser, mailto: in the mail client. Anything else is refused with 'bad-request'
   * (xmpp: links go to 'app.openUri' instead). Nothing is fetched before the click: no previews.
   */
  'app.openExternal': {
    input: z.object({ url: z.string().max(4096) }).strict(),
    output: z.object({}),
  },
  /** Roster management (RFC 6121). Adds (or updates) a contact and asks to see its presence. */
  'roster.add': {
    input: z
      .object({
        accountId: AccountId,
        jid: BareJid,
        name: z.string().max(1024).optional(),
        groups: z.array(z.string().max(1000)).max(100).optional(),
        /** A note sent with the subscription request. */
        message: z.string().max(1024).optional(),
      })
      .strict(),
    output: z.object({}),
  },
  /** Renames a contact and/or replaces its groups (move and copy between groups are this). */
  'roster.update': {
    input: z
      .object({
        accountId: AccountId,
        jid: BareJid,
        name: z.string().max(1024).optional(),
        groups: z.array(z.string().max(1000)).max(100).optional(),
      })
      .strict(),
    output: z.object({}),
  },
  /** Renames a group on every contact in it ('' for `to` is refused). */
  'roster.renameGroup': {
    input: z
      .object({ accountId: AccountId, from: z.string().min(1).max(1000), to: z.string().trim().min(1).max(1000) })
      .strict(),
    output: z.object({ changed: z.number().int().nonnegative() }),
  },
  /** Removes a contact from the roster, with both subscriptions. */
  'roster.remove': {
    input: z.object({ accountId: AccountId, jid: EntityJid }).strict(),
    output: z.object({}),
  },
  /** Subscription requests waiting for an answer (incoming and ours). */
  'subscriptions.list': {
    input: z.object({ accountId: AccountId }).strict(),
    output: z.object({ requests: z.array(SubscriptionRequest) }),
  },
  /**
   * Answers an incoming request or manages a subscription: approve (and ask for theirs back
   * unless we have it), deny, cancel our pending request or stop seeing theirs (unsubscribe),
   * revoke their view of ours (unsubscribed), or ask again (subscribe).
   */
  'subscription.answer': {
    input: z
      .object({
        accountId: AccountId,
        jid: EntityJid,
        action: z.enum(['approve', 'deny', 'cancel', 'revoke', 'request']),
      })
      .strict(),
    output: z.object({}),
  },
  /** Our own availability and status message (re-sent to everyone on change). */
  'presence.set': {
    input: z.object({ accountId: AccountId, show: OwnShow, status: z.string().max(1024).optional() }).strict(),
    output: OwnPresence,
  },
  'presence.get': {
    input: z.object({ accountId: AccountId }).strict(),
    output: OwnPresence,
  },
  /** A contact's profile: vCard, connected resources with their clients, last seen when offline. */
  'contact.profile': {
    input: z.object({ accountId: AccountId, jid: BareJid }).strict(),
    output: ContactProfile,
  },
  /** Our own vCard (XEP-0054) as the server has it. */
  'vcard.get': {
    input: z.object({ accountId: AccountId }).strict(),
    output: z.object({ vcard: Vcard, avatar: z.string().optional() }),
  },
  /** Replaces our vCard; fields Parley does not manage are kept. */
  'vcard.set': {
    input: z.object({ accountId: AccountId, vcard: Vcard }).strict(),
    output: z.object({ vcard: Vcard }),
  },
  /**
   * Publishes our avatar (XEP-0084, and as the vCard photo for XEP-0153): PNG, JPEG, GIF or
   * WebP bytes as base64 (at most about 180 KB); null removes it.
   */
  'avatar.set': {
    input: z.object({ accountId: AccountId, data: z.string().max(240_000).nullable() }).strict(),
    output: z.object({ hash: z.string().optional() }),
  },
  /** A cached avatar by its SHA-1 as a data: URL ('not-found' when it is not cached). */
  'avatar.get': {
    input: z.object({ hash: z.string().regex(/^[0-9a-f]{40}$/u) }).strict(),
    output: z.object({ dataUrl: z.string() }),
  },
  /** XEP-0191: the JIDs we block. */
  'blocklist.list': {
    input: z.object({ accountId: AccountId }).strict(),
    output: z.object({ jids: z.array(z.string()) }),
  },
  'blocklist.block': {
    input: z.object({ accountId: AccountId, jid: z.string().trim().min(1).max(MAX_JID) }).strict(),
    output: z.object({ jids: z.array(z.string()) }),
  },
  'blocklist.unblock': {
    input: z.object({ accountId: AccountId, jid: z.string().trim().min(1).max(MAX_JID) }).strict(),
    output: z.object({ jids: z.array(z.string()) }),
  },
  /** XEP-0055: finds the server's user directory and asks for its search form. */
  'directory.form': {
    input: z.object({ accountId: AccountId, service: z.string().max(MAX_JID).optional() }).strict(),
    output: z.object({ service: z.string(), instructions: z.string().optional(), fields: z.array(FormField) }),
  },
  'directory.search': {
    input: z
      .object({
        accountId: AccountId,
        service: z.string().max(MAX_JID),
        values: z.record(z.string().max(200), z.string().max(1000)),
      })
      .strict(),
    output: z.object({
      columns: z.array(z.object({ var: z.string(), label: z.string() })),
      rows: z.array(z.object({ jid: z.string(), values: z.record(z.string(), z.string()) })),
      truncated: z.boolean(),
    }),
  },
  /** XEP-0100: the gateways (transports) the server offers. */
  'gateways.list': {
    input: z.object({ accountId: AccountId }).strict(),
    output: z.object({ gateways: z.array(GatewayInfo) }),
  },
  /** XEP-0077 against a gateway: its registration form. */
  'gateway.form': {
    input: z.object({ accountId: AccountId, gateway: z.string().min(1).max(1023) }).strict(),
    output: z.object({ instructions: z.string().optional(), fields: z.array(FormField), registered: z.boolean() }),
  },
  'gateway.register': {
    input: z
      .object({
        accountId: AccountId,
        gateway: z.string().min(1).max(1023),
        values: z.record(z.string().max(200), z.string().max(4096)),
      })
      .strict(),
    output: z.object({}),
  },
  'gateway.unregister': {
    input: z.object({ accountId: AccountId, gateway: z.string().min(1).max(1023) }).strict(),
    output: z.object({}),
  },
  /** The window is visible and focused (or not): drives XEP-0352 client state indication. */
  'app.setActive': {
    input: z.object({ active: z.boolean() }).strict(),
    output: z.object({}),
  },
  // Attention (issue 7): notifications, xmpp: links.
  /** The conversation shown in the window (null: none): no notification for it while the window is active. */
  'app.setVisibleConversation': {
    input: z.object({ conversation: z.object({ accountId: AccountId, peer: BareJid }).strict().nullable() }).strict(),
    output: z.object({}),
  },
  /**
   * An xmpp: link (XEP-0147) the user clicked: checked by the core, then offered back to the
   * renderer as an 'app.uri' event for the user to confirm; a link that is not valid is
   * refused with 'bad-request' saying why.
   */
  'app.openUri': {
    input: z.object({ uri: z.string().max(8192) }).strict(),
    output: z.object({}),
  },
  /** The xmpp: link waiting for the user (one the OS handed over before the window was up), taken once. */
  'app.takeUri': {
    input: Empty,
    output: z.object({ request: UriRequest.nullable() }),
  },
  // Settings (issue 7): the user's settings (preload/settings.ts); changes also arrive as 'settings.changed'.
  'settings.get': {
    input: Empty,
    output: Settings,
  },
  /** Applies a partial change (each section any subset of its fields); an invalid patch changes nothing. */
  'settings.update': {
    input: SettingsPatch,
    output: Settings,
  },
  /** Opens Parley's logs or data folder in the OS file manager (the host's openPath port). */
  'app.openFolder': {
    input: z.object({ folder: z.enum(['logs', 'data']) }).strict(),
    output: z.object({}),
  },
  // File transfer (issue 6).
  /** Every transfer of this session (one account's, or all). */
  'transfers.list': {
    input: z.object({ accountId: AccountId.optional() }).strict(),
    output: z.object({ transfers: z.array(Transfer) }),
  },
  'transfer.accept': {
    input: z.object({ accountId: AccountId, id: TransferId }).strict(),
    output: z.object({}),
  },
  'transfer.decline': {
    input: z.object({ accountId: AccountId, id: TransferId }).strict(),
    output: z.object({}),
  },
  /** Stops a transfer in any state (both ends are told; a partial file is removed). */
  /**
   * A received file (a completed incoming transfer): open it with the system's default app,
   * or show it in its folder (`reveal`). Programs and scripts are only ever shown, never opened.
   */
  'transfer.open': {
    input: z.object({ accountId: AccountId, id: TransferId, reveal: z.boolean() }).strict(),
    output: z.object({}),
  },
  /**
   * Issue 6, inline image previews: a received file (a completed incoming transfer) that is
   * PNG, JPEG, GIF or WebP by its bytes, at most 8 MiB, as a data: URL ('not-acceptable' else).
   */
  'transfer.preview': {
    input: z.object({ accountId: AccountId, id: TransferId }).strict(),
    output: z.object({ dataUrl: z.string().regex(/^data:image\/(?:png|jpeg|gif|webp);base64,/u) }),
  },
  'transfer.cancel': {
    input: z.object({ accountId: AccountId, id: TransferId }).strict(),
    output: z.object({}),
  },
  /**
   * Transfer history (issue 6): forgets the finished transfers (completed or failed) of one
   * account, or of all; their stored rows are deleted, received files stay on disk. The ids removed.
   */
  'transfer.clearFinished': {
    input: z.object({ accountId: AccountId.optional() }).strict(),
    output: z.object({ removed: z.array(TransferId) }),
  },
  /** Offers a file (an absolute path on this machine) to a contact: a full JID, or a bare one (its best resource). */
  'transfer.sendFile': {
    input: z
      .object({ accountId: AccountId, peer: z.string().trim().min(3).max(MAX_JID), path: z.string().min(1).max(4096) })
      .strict(),
    output: Transfer,
  },
  /** XEP-0363: uploads a file (an absolute path) to the server's upload service; the completed transfer has the link. */
  'transfer.upload': {
    input: z.object({ accountId: AccountId, path: z.string().min(1).max(4096) }).strict(),
    output: Transfer,
  },
  /** Downloads a shared file link (https) into the downloads folder (sanitised name, never overwriting). */
  'transfer.download': {
    input: z.object({ accountId: AccountId, url: z.string().min(8).max(8192) }).strict(),
    output: Transfer,
  },
  /**
   * HTTP upload (issue 6): saves a message's attachment (https only) into the downloads folder
   * as a transfer ('transfer.updated' reports progress; 'transfer.cancel' stops it). The size
   * comes first (HTTP HEAD): above `confirmAbove` bytes (default and most 2 GiB), nothing starts
   * until the call is repeated with `confirmed`; the answer then says `confirm` with the size.
   */
  'attachment.download': {
    input: z
      .object({
        accountId: AccountId,
        messageId: MessageId,
        confirmed: z.boolean().optional(),
        confirmAbove: z
          .number()
          .int()
          .nonnegative()
          .max(2 * 1024 ** 3)
          .optional(),
      })
      .strict(),
    output: z.discriminatedUnion('status', [
      z.object({ status: z.literal('started'), transfer: Transfer }),
      z.object({ status: z.literal('confirm'), size: z.number().int().nonnegative() }),
    ]),
  },
  // File transfer staging (issue 6, renderer side): a sandboxed renderer copies a File into a
  // private staging folder chunk by chunk, then sends or uploads the staged path.
  'transfer.stageBegin': {
    input: z
      .object({
        name: z.string().trim().min(1).max(1024),
        size: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
        mediaType: z.string().max(255).optional(),
      })
      .strict(),
    output: z.object({ stageId: StageId }),
  },
  /** One chunk (base64 of at most 128 KiB) at `offset`: exactly where the previous one ended. */
  'transfer.stageChunk': {
    input: z
      .object({
        stageId: StageId,
        offset: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
        data: z
          .string()
          .max(STAGE_CHUNK_BASE64)
          .regex(/^[A-Za-z0-9+/]*={0,2}$/u),
      })
      .strict(),
    output: z.object({ received: z.number().int().nonnegative() }),
  },
  /** The staged file is complete (every announced byte): its path, for 'transfer.sendFile' or 'transfer.upload'. */
  'transfer.stageEnd': {
    input: z.object({ stageId: StageId }).strict(),
    output: z.object({ path: z.string(), name: z.string(), mediaType: z.string().optional() }),
  },
  /** Drops an unfinished stage (the user cancelled, or reading the file failed). */
  'transfer.stageAbort': {
    input: z.object({ stageId: StageId }).strict(),
    output: z.object({}),
  },
} as const;

/** Events: core -> renderer, pushed to every connected client. */
export const events = {
  'account.state': AccountState,
  'account.removed': z.object({ accountId: AccountId }),
  'roster.updated': z.object({
    accountId: AccountId,
    contacts: z.array(Contact),
    removed: z.array(EntityJid),
  }),
  'conversation.updated': Conversation,
  'message.added': Message,
  'message.updated': Message,
  /** A conversation's local history was deleted. */
  'conversation.removed': z.object({ accountId: AccountId, peer: BareJid }),
  /** A contact's chat state (XEP-0085): composing, paused, … ('active' also ends "typing…"). */
  'chat.state': z.object({
    accountId: AccountId,
    peer: BareJid,
    state: z.enum(['active', 'composing', 'paused', 'inactive', 'gone']),
  }),
  /**
   * Catch-up from the server archive (XEP-0313) after a new session: running with the
   * number of messages fetched so far, then once more with running: false.
   */
  'archive.sync': z.object({ accountId: AccountId, running: z.boolean(), fetched: z.number().int().nonnegative() }),
  /** The subscription requests of an account changed (the whole list). */
  'subscriptions.updated': z.object({ accountId: AccountId, requests: z.array(SubscriptionRequest) }),
  /** Our own presence changed (chosen, or automatic away and back). */
  'presence.own': OwnPresence,
  /** The blocklist changed (XEP-0191: ours, or a push from another client). */
  'blocklist.updated': z.object({ accountId: AccountId, jids: z.array(z.string()) }),
  /** The settings changed (from any window): the whole new settings. */
  'settings.changed': Settings,
  // Attention (issue 7).
  /** Open this account's conversation (at this message): a notification was clicked. */
  'app.navigate': z.object({ accountId: AccountId, peer: BareJid, messageId: MessageId.optional() }),
  /** A checked xmpp: link (XEP-0147) to offer the user: nothing happens until they confirm. */
  'app.uri': UriRequest,
  // File transfer (issue 6).
  /** A transfer was offered, changed state or made progress (a few times a second at most). */
  'transfer.updated': Transfer,
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
