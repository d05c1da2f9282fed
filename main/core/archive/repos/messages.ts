/** Messages: stored once per identity, read in pages, newest last; the outbox's states. */
import { MessageAttachment } from '../../../../preload/contract.ts';
import type { Message, MessageState } from '../../../../preload/contract.ts';
import { identityHash, stanzaHash } from '../identity-hash.ts';
import type { Db } from '../open.ts';
import { searchIndexer } from '../search-index.ts';

export interface NewMessage {
  /** Only for history fetched from the server (see reserveBelow); otherwise the next id. */
  id?: number | undefined;
  account: string;
  peer: string;
  direction: 'in' | 'out';
  senderKey: string;
  stanzaId?: string | undefined;
  originId?: string | undefined;
  messageId?: string | undefined;
  body: string;
  timestamp: number;
  receivedAt: number;
  state: MessageState;
  /** XEP-0461: the id the quoted message was sent with, and its row here when known. */
  replyTo?: string | undefined;
  replyToRow?: number | undefined;
  /** HTTP upload (issue 6): the shared file (migration 0015). */
  attachment?: MessageAttachment | undefined;
}

interface Row {
  id: number;
  account: string;
  peer: string;
  direction: 'in' | 'out';
  body: string;
  timestamp: number;
  state: MessageState;
  error: string | null;
  message_id: string | null;
  edited_at?: number | null;
  retracted_at?: number | null;
  reply_to_row?: number | null;
  /** Full reads only (see FULL). */
  reply_preview?: string | null;
  reply_direction?: 'in' | 'out' | null;
  reactions_json?: string | null;
  attachment?: string | null;
}

const COLUMNS =
  'id, account, peer, direction, body, timestamp, state, error, message_id, edited_at, retracted_at, reply_to_row, attachment';
/** COLUMNS plus what other rows say about it: the quoted message's preview, reactions. */
const FULL = `${COLUMNS},
  (SELECT substr(r.body, 1, 200) FROM messages r WHERE r.id = messages.reply_to_row) AS reply_preview,
  (SELECT r.direction FROM messages r WHERE r.id = messages.reply_to_row) AS reply_direction,
  (SELECT json_group_array(json_object('s', x.sender, 'r', json(x.reactions))) FROM reactions x WHERE x.message = messages.id) AS reactions_json`;

/** Reactions per emoji, in first-seen order; `own` is our account (to mark ours). */
function reactionsOf(json: string | null | undefined, own: string): Message['reactions'] {
  if (!json || json === '[]') return undefined;
  const counts = new Map<string, { count: number; mine: boolean }>();
  for (const { s, r } of JSON.parse(json) as { s: string; r: string[] }[]) {
    for (const emoji of r) {
      const entry = counts.get(emoji) ?? { count: 0, mine: false };
      entry.count += 1;
      if (s === own) entry.mine = true;
      counts.set(emoji, entry);
    }
  }
  const list = [...counts].map(([emoji, e]) => ({ emoji, count: e.count, mine: e.mine }));
  return list.length > 0 ? list : undefined;
}

/** Outbound states only move forward; 'failed' can be left only by a retry (back to 'queued'). */
const RANK = `CASE state WHEN 'queued' THEN 0 WHEN 'sent' THEN 1 WHEN 'acked' THEN 2 WHEN 'delivered' THEN 3 WHEN 'read' THEN 4 ELSE 5 END`;
const NEW_RANK = `CASE @state WHEN 'queued' THEN 0 WHEN 'sent' THEN 1 WHEN 'acked' THEN 2 WHEN 'delivered' THEN 3 WHEN 'read' THEN 4 ELSE 5 END`;

export function toMessage(row: Row): Message {
  return {
    id: row.id,
    accountId: row.account,
    peer: row.peer,
    direction: row.direction,
    body: row.body,
    timestamp: row.timestamp,
    state: row.state,
    ...(row.error ? { error: row.error } : {}),
    ...(row.edited_at != null ? { editedAt: row.edited_at } : {}),
    ...(row.retracted_at != null ? { retracted: true } : {}),
    ...(row.reply_to_row != null
      ? {
          replyTo: {
            id: row.reply_to_row,
            ...(row.reply_preview != null ? { preview: row.reply_preview } : {}),
            ...(row.reply_direction != null ? { direction: row.reply_direction } : {}),
          },
        }
      : {}),
    ...(row.reactions_json ? { reactions: reactionsOf(row.reactions_json, row.account) } : {}),
    ...(row.attachment ? attachmentOf(row.attachment) : {}),
  };
}

/** The stored attachment (JSON, migration 0015), if it still reads as one. */
function attachmentOf(json: string): Pick<Message, 'attachment'> {
  const parsed = MessageAttachment.safeParse(JSON.parse(json));
  return parsed.success ? { attachment: parsed.data } : {};
}

export interface OutboundMessage extends Message {
  /** The stanza id (= origin-id) it goes out with. */
  stanzaId: string;
}

function toOutbound(row: Row): OutboundMessage {
  return { ...toMessage(row), stanzaId: row.message_id ?? '' };
}

export type MessageRepo = ReturnType<typeof createMessageRepo>;

/**
 * A catch-up from the server archive stores the pages that follow each other quickly in one
 * transaction (insertMany, or batch), up to this many messages (ten of Prosody's pages of 50):
 * each commit writes every index page it changed, and identity indexes change a page per
 * message, so ten pages in one commit write far fewer pages than ten commits.
 */
export const ARCHIVE_BATCH_MAX = 500;
/** …and for at most this long after the first of them arrived (they are shown once stored). */
export const ARCHIVE_BATCH_MS = 250;

/** The insert's parameters: every column, NULL for what the message lacks, and its identity hashes. */
interface InsertParams {
  id: number | null;
  account: string;
  peer: string;
  direction: 'in' | 'out';
  senderKey: string;
  stanzaId: string | null;
  originId: string | null;
  messageId: string | null;
  body: string;
  timestamp: number;
  receivedAt: number;
  state: MessageState;
  replyTo: string | null;
  replyToRow: number | null;
  attachment: string | null;
  identityHash: number;
  stanzaHash: number | null;
}

/** A message of a conversation by the id others refer to it with. */
interface RefKey {
  account: string;
  peer: string;
  ref: string;
}

/** Where the identity index has the rows whose sender key is `ref` (migration 0017). */
const withHash = (key: RefKey): RefKey & { hash: number } => ({
  ...key,
  hash: identityHash(key.account, key.peer, key.ref),
});

export function createMessageRepo(db: Db) {
  // Inserts and body changes queue rows for the search index (migration 0010); it indexes them in batches.
  const indexer = searchIndexer(db);
  // Stored once per identity (sender key per account, peer and direction; archive id per
  // account): the hashes (migration 0017) find the candidates, the text decides. One statement,
  // so nothing can come in between the check and the insert. ON CONFLICT: an `id` reserved
  // below (older history) that another page took already.
  const insert = db.prepare<InsertParams, Row>(`
    INSERT INTO messages (id, account, peer, direction, sender_key, stanza_id, origin_id, message_id, body, timestamp, received_at, state, reply_to, reply_to_row, attachment, identity_hash, stanza_hash)
    SELECT @id, @account, @peer, @direction, @senderKey, @stanzaId, @originId, @messageId, @body, @timestamp, @receivedAt, @state, @replyTo, @replyToRow, @attachment, @identityHash, @stanzaHash
    WHERE NOT EXISTS (
        SELECT 1 FROM messages INDEXED BY messages_identity_hash WHERE identity_hash = @identityHash
          AND account = @account AND peer = @peer AND direction = @direction AND sender_key = @senderKey)
      AND (@stanzaHash IS NULL OR NOT EXISTS (
        SELECT 1 FROM messages INDEXED BY messages_stanza_hash WHERE stanza_hash = @stanzaHash
          AND account = @account AND stanza_id = @stanzaId))
    ON CONFLICT DO NOTHING
    RETURNING ${COLUMNS}`);
  const advance = db.prepare<{ id: number; state: MessageState; error: string | null }, Row>(
    `UPDATE messages SET state = @state, error = @error
     WHERE id = @id AND direction = 'out' AND state <> 'failed' AND ${RANK} < ${NEW_RANK}
     RETURNING ${COLUMNS}`,
  );
  const fail = db.prepare<{ id: number; error: string }, Row>(
    `UPDATE messages SET state = 'failed', error = @error
     WHERE id = @id AND direction = 'out' AND state IN ('queued', 'sent', 'acked') RETURNING ${COLUMNS}`,
  );
  const requeue = db.prepare<[number, string], Row>(
    `UPDATE messages SET state = 'queued', error = NULL WHERE id = ? AND account = ? AND state = 'failed' RETURNING ${COLUMNS}`,
  );
  const page = db.prepare<[string, string, number, number], Row>(
    `SELECT ${FULL} FROM messages WHERE account = ? AND peer = ? AND id < ? ORDER BY id DESC LIMIT ?`,
  );
  const byId = db.prepare<[number], Row>(`SELECT ${FULL} FROM messages WHERE id = ?`);
  // A message id is usually the sender key too (ours always: id = origin-id): those rows are
  // found through the identity index; messages_ref holds only the others (migration 0010).
  // Two lookups, not one UNION (SQLite merges a UNION … ORDER BY through sorters), and no
  // ORDER BY id (the planner would walk the conversation by id instead): a few rows at most.
  const byRef = (direction: string) => {
    const byKey = db.prepare<RefKey & { hash: number }, Row>(
      `SELECT ${COLUMNS} FROM messages INDEXED BY messages_identity_hash WHERE identity_hash = @hash
         AND account = @account AND peer = @peer AND direction IN (${direction}) AND sender_key = @ref AND message_id = @ref`,
    );
    const byOther = db.prepare<{ account: string; peer: string; ref: string }, Row>(
      `SELECT ${COLUMNS} FROM messages WHERE account = @account AND peer = @peer AND message_id = @ref
         AND message_id IS NOT sender_key AND direction IN (${direction})`,
    );
    return {
      /** The oldest match. */
      get(key: RefKey): Row | undefined {
        let found: Row | undefined;
        for (const row of byKey.all(withHash(key))) if (!found || row.id < found.id) found = row;
        for (const row of byOther.all(key)) if (!found || row.id < found.id) found = row;
        return found;
      },
    };
  };
  const byMessageId = byRef("'in', 'out'");
  const byOriginIdRows = db.prepare<RefKey & { hash: number }, Row>(
    // Our identity index serves it: the sender key is the origin-id whenever there is one.
    // (At most one row per direction; with ORDER BY id the planner would walk the conversation.)
    `SELECT ${COLUMNS} FROM messages INDEXED BY messages_identity_hash WHERE identity_hash = @hash
       AND account = @account AND peer = @peer AND direction IN ('in', 'out') AND sender_key = @ref AND origin_id = @ref`,
  );
  const byOriginId = {
    get(key: RefKey): Row | undefined {
      let found: Row | undefined;
      for (const row of byOriginIdRows.all(withHash(key))) if (!found || row.id < found.id) found = row;
      return found;
    },
  };
  const refOf = db.prepare<[number], { ref: string | null; direction: 'in' | 'out'; peer: string; account: string }>(
    'SELECT COALESCE(origin_id, message_id) AS ref, direction, peer, account FROM messages WHERE id = ?',
  );
  const addEdit = db.prepare<[number, string | null, string | null, number]>(
    'INSERT INTO message_edits (message, body, replaced_at, source, source_stanza_id) SELECT id, body, ?, ?, ? FROM messages WHERE id = ?',
  );
  const applied = db.prepare<[number, string | null, number, string | null], { n: number }>(
    `SELECT 1 AS n FROM message_edits WHERE (message = ? AND source = ?) OR (message = ? AND source_stanza_id = ?) LIMIT 1`,
  );
  const setBody = db.prepare<[string, number, number]>(
    'UPDATE messages SET body = ?, edited_at = ? WHERE id = ? AND retracted_at IS NULL',
  );
  const edits = db.prepare<[number], { body: string; replacedAt: number }>(
    'SELECT body, replaced_at AS replacedAt FROM message_edits WHERE message = ? ORDER BY id',
  );
  const tombstone = db.prepare<[number, number]>(
    "UPDATE messages SET body = '', retracted_at = ? WHERE id = ? AND retracted_at IS NULL",
  );
  const dropEdits = db.prepare<[number]>('DELETE FROM message_edits WHERE message = ?');
  const dropReactions = db.prepare<[number]>('DELETE FROM reactions WHERE message = ?');
  const setReactions = db.prepare<[number, string, string, number]>(`
    INSERT INTO reactions (message, sender, reactions, updated_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (message, sender) DO UPDATE SET reactions = excluded.reactions, updated_at = excluded.updated_at`);
  const clearReactions = db.prepare<[number, string]>('DELETE FROM reactions WHERE message = ? AND sender = ?');
  const lastOutbound = db.prepare<[string, string], { id: number }>(
    "SELECT id FROM messages WHERE account = ? AND peer = ? AND direction = 'out' AND retracted_at IS NULL ORDER BY id DESC LIMIT 1",
  );
  const unread = db.prepare<[string, string, number], { n: number }>(
    "SELECT COUNT(*) AS n FROM messages WHERE account = ? AND peer = ? AND direction = 'in' AND id > ? AND retracted_at IS NULL",
  );
  const newestInbound = db.prepare<[string, string, number], { id: number; ref: string | null }>(
    "SELECT id, COALESCE(message_id, origin_id) AS ref FROM messages WHERE account = ? AND peer = ? AND direction = 'in' AND id <= ? ORDER BY id DESC LIMIT 1",
  );
  const upTo = db.prepare<[string, string, number, number], Row>(
    `SELECT ${FULL} FROM messages WHERE account = ? AND peer = ? AND id <= ? ORDER BY id DESC LIMIT ?`,
  );
  const after = db.prepare<[string, string, number, number], Row>(
    `SELECT ${FULL} FROM messages WHERE account = ? AND peer = ? AND id > ? ORDER BY id LIMIT ?`,
  );
  const queued = db.prepare<[string], Row>(
    `SELECT ${COLUMNS} FROM messages WHERE account = ? AND state = 'queued' ORDER BY id`,
  );
  const nextQueued = db.prepare<[string], Row>(
    `SELECT ${COLUMNS} FROM messages WHERE account = ? AND state = 'queued' ORDER BY id LIMIT 1`,
  );
  const unconfirmed = db.prepare<[string], Row>(
    `SELECT ${COLUMNS} FROM messages WHERE account = ? AND direction = 'out' AND state = 'sent' ORDER BY id`,
  );
  const byPeerStanzaId = byRef("'out'");
  // Without a peer (an error bounce from a server): each conversation's identity index, then
  // the few rows whose message id is not their sender key (messages_ref). Never a scan of the
  // account's messages, which anyone could make us do with bounces.
  const peersOf = db.prepare<[string], string>('SELECT peer FROM conversations WHERE account = ?').pluck();
  const byOtherStanzaId = db.prepare<[string, string], Row>(
    `SELECT ${COLUMNS} FROM messages WHERE account = ? AND message_id = ? AND message_id IS NOT sender_key
       AND direction = 'out' ORDER BY id LIMIT 1`,
  );
  const byStanzaId = (account: string, ref: string): Row | undefined => {
    for (const peer of peersOf.all(account)) {
      const row = byPeerStanzaId.get({ account, peer, ref });
      if (row) return row;
    }
    return byOtherStanzaId.get(account, ref);
  };
  const removeAccount = db.prepare<[string]>('DELETE FROM messages WHERE account = ?');
  const removeConversation = db.prepare<[string, string]>('DELETE FROM messages WHERE account = ? AND peer = ?');
  const minId = db.prepare<[], { id: number | null }>('SELECT MIN(id) AS id FROM messages');
  const oldestArchived = db.prepare<[string, string], { stanza_id: string }>(
    'SELECT stanza_id FROM messages WHERE account = ? AND peer = ? AND stanza_id IS NOT NULL ORDER BY id LIMIT 1',
  );
  const all = db.prepare<[string, string], Row & { sender_key: string }>(
    `SELECT ${COLUMNS} FROM messages WHERE account = ? AND peer = ? ORDER BY id`,
  );
  const insertOne = (m: NewMessage): Row | undefined =>
    // Every parameter, in one object of one shape (no spread of optional fields).
    insert.get({
      id: m.id ?? null,
      account: m.account,
      peer: m.peer,
      direction: m.direction,
      senderKey: m.senderKey,
      stanzaId: m.stanzaId ?? null,
      originId: m.originId ?? null,
      messageId: m.messageId ?? null,
      body: m.body,
      timestamp: m.timestamp,
      receivedAt: m.receivedAt,
      state: m.state,
      replyTo: m.replyTo ?? null,
      replyToRow: m.replyToRow ?? null,
      attachment: m.attachment ? JSON.stringify(m.attachment) : null,
      identityHash: identityHash(m.account, m.peer, m.senderKey),
      stanzaHash: m.stanzaId === undefined ? null : stanzaHash(m.account, m.stanzaId),
    });
  const insertMany = db.transaction((batch: readonly NewMessage[]): (Message | undefined)[] => {
    let stored = 0;
    const out = batch.map((m) => {
      const row = insertOne(m);
      if (!row) return undefined;
      stored++;
      return toMessage(row);
    });
    if (stored > 0) indexer.noteWrites(stored);
    return out;
  });
  const full = (id: number): Message | undefined => {
    const row = byId.get(id);
    return row && toMessage(row);
  };

  return {
    /** Stores a message; undefined when the same identity is already stored. */
    insert(message: NewMessage): Message | undefined {
      const row = insertOne(message);
      if (!row) return undefined;
      indexer.noteWrites();
      return toMessage(row);
    },
    /**
     * Stores a batch (a page of the server archive) in one transaction: one commit, one
     * batch for the search index. The result has the message or undefined (a duplicate) for
     * each, in order.
     */
    insertMany(batch: readonly NewMessage[]): (Message | undefined)[] {
      return insertMany(batch);
    },
    /** Runs `work` in one transaction (nested: a savepoint), for callers that store several things at once. */
    batch<T>(work: () => T): T {
      return db.transaction(work)();
    },
    /** Moves an outbound message forward (never backwards); undefined when nothing changed. */
    advance(id: number, state: Exclude<MessageState, 'failed' | 'received'>): Message | undefined {
      const row = advance.get({ id, state, error: null });
      return row && toMessage(row);
    },
    /** Marks an outbound message failed (unless it already reached the peer). */
    fail(id: number, error: string): Message | undefined {
      const row = fail.get({ id, error });
      return row && toMessage(row);
    },
    /** Puts a failed message back in the outbox. */
    requeue(account: string, id: number): OutboundMessage | undefined {
      const row = requeue.get(id, account);
      return row && toOutbound(row);
    },
    /** Oldest first; `before` pages backwards by id. */
    list(account: string, peer: string, before = Number.MAX_SAFE_INTEGER, limit = 50): Message[] {
      return page.all(account, peer, before, limit).reverse().map(toMessage);
    },
    /** Oldest first: message `id` (when it is in this conversation), up to `older` before it and `newer` after. */
    around(account: string, peer: string, id: number, older = 25, newer = 25): Message[] {
      return [...upTo.all(account, peer, id, older + 1).reverse(), ...after.all(account, peer, id, newer)].map(
        toMessage,
      );
    },
    /** The outbox, in order. */
    queued(account: string): OutboundMessage[] {
      return queued.all(account).map(toOutbound);
    },
    nextQueued(account: string): OutboundMessage | undefined {
      const row = nextQueued.get(account);
      return row && toOutbound(row);
    },
    /** Written to a stream but not yet acknowledged by the server. */
    unconfirmed(account: string): OutboundMessage[] {
      return unconfirmed.all(account).map(toOutbound);
    },
    /** An outbound message by the id it went out with (optionally only to `peer`). */
    outbound(account: string, stanzaId: string, peer?: string): OutboundMessage | undefined {
      const row =
        peer === undefined ? byStanzaId(account, stanzaId) : byPeerStanzaId.get({ account, peer, ref: stanzaId });
      return row && toOutbound(row);
    },
    /** One message with everything about it (preview of what it quotes, reactions). */
    get: full,
    /**
     * A message of this conversation by the id others refer to it with (its stanza id or
     * origin-id: ours are equal), optionally only from one side.
     */
    find(account: string, peer: string, ref: string, direction?: 'in' | 'out'): Message | undefined {
      const row = byOriginId.get({ account, peer, ref }) ?? byMessageId.get({ account, peer, ref });
      if (!row || (direction !== undefined && row.direction !== direction)) return undefined;
      return toMessage(row);
    },
    /** The id a message is referred to by in corrections, retractions, reactions and replies. */
    refOf(id: number): { ref: string; direction: 'in' | 'out'; peer: string; account: string } | undefined {
      const row = refOf.get(id);
      return row?.ref ? { ...row, ref: row.ref } : undefined;
    },
    /**
     * XEP-0308: replaces the body, keeping the previous one in the history; undefined when
     * unchanged. `source` identifies the correction (its sender key, and our archive's
     * stanza-id when known): one that was applied already is not applied again.
     */
    correct(
      id: number,
      body: string,
      at: number,
      source: { key?: string | undefined; stanzaId?: string | undefined } = {},
    ): Message | undefined {
      return db.transaction(() => {
        const current = byId.get(id);
        if (!current || current.retracted_at != null || current.body === body) return undefined;
        if (applied.get(id, source.key ?? null, id, source.stanzaId ?? null)) return undefined;
        addEdit.run(at, source.key ?? null, source.stanzaId ?? null, id);
        setBody.run(body, at, id);
        indexer.noteWrites();
        return full(id);
      })();
    },
    /** Earlier bodies of a corrected message, oldest first. */
    edits(id: number): { body: string; replacedAt: number }[] {
      return edits.all(id);
    },
    /** XEP-0424: leaves a tombstone (no body, no history, no reactions). */
    retract(id: number, at: number): Message | undefined {
      return db.transaction(() => {
        if (tombstone.run(at, id).changes === 0) return undefined;
        indexer.noteWrites();
        dropEdits.run(id);
        dropReactions.run(id);
        return full(id);
      })();
    },
    /** XEP-0444: `sender`'s whole set of reactions to a message (empty: none). */
    react(id: number, sender: string, reactions: readonly string[], at: number): Message | undefined {
      if (reactions.length === 0) clearReactions.run(id, sender);
      else setReactions.run(id, sender, JSON.stringify(reactions), at);
      return full(id);
    },
    /** The newest own message of a conversation (the one XEP-0308 lets us correct). */
    lastOutboundId(account: string, peer: string): number | undefined {
      return lastOutbound.get(account, peer)?.id;
    },
    /** Inbound messages after `readUpTo`. */
    unreadCount(account: string, peer: string, readUpTo: number): number {
      return unread.get(account, peer, readUpTo)?.n ?? 0;
    },
    /** The newest inbound message at or before `id`, with the id to mark it displayed by (XEP-0333). */
    newestInbound(account: string, peer: string, id: number): { id: number; ref: string | null } | undefined {
      return newestInbound.get(account, peer, id);
    },
    /**
     * `n` ids below every stored message, oldest first: the local id is the display order,
     * and history fetched from the server is older than everything here.
     */
    reserveBelow(n: number): number {
      return (minId.get()?.id ?? 1) - n;
    },
    /** The archive id of a conversation's oldest message that has one (where older server history starts). */
    oldestArchiveId(account: string, peer: string): string | undefined {
      return oldestArchived.get(account, peer)?.stanza_id;
    },
    /** Every message of a conversation, oldest first (export). */
    *all(account: string, peer: string): Generator<Message> {
      for (const row of all.iterate(account, peer)) yield toMessage(row);
    },
    /** Deletes a conversation's local history (edits and reactions go with it). */
    removeConversation(account: string, peer: string): number {
      return removeConversation.run(account, peer).changes;
    },
    removeAccount(account: string): void {
      removeAccount.run(account);
    },
  };
}
