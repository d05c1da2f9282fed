/** Messages: stored once per identity, read in pages, newest last; the outbox's states. */
import type { Message, MessageState } from '../../../../preload/contract.ts';
import type { Db } from '../open.ts';

export interface NewMessage {
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
}

const COLUMNS = 'id, account, peer, direction, body, timestamp, state, error, message_id';

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
  };
}

export interface OutboundMessage extends Message {
  /** The stanza id (= origin-id) it goes out with. */
  stanzaId: string;
}

function toOutbound(row: Row): OutboundMessage {
  return { ...toMessage(row), stanzaId: row.message_id ?? '' };
}

export type MessageRepo = ReturnType<typeof createMessageRepo>;

export function createMessageRepo(db: Db) {
  const insert = db.prepare<NewMessage, Row>(`
    INSERT INTO messages (account, peer, direction, sender_key, stanza_id, origin_id, message_id, body, timestamp, received_at, state)
    VALUES (@account, @peer, @direction, @senderKey, @stanzaId, @originId, @messageId, @body, @timestamp, @receivedAt, @state)
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
    `SELECT ${COLUMNS} FROM messages WHERE account = ? AND peer = ? AND id < ? ORDER BY id DESC LIMIT ?`,
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
  const byStanzaId = db.prepare<[string, string], Row>(
    `SELECT ${COLUMNS} FROM messages WHERE account = ? AND direction = 'out' AND message_id = ?`,
  );
  const byPeerStanzaId = db.prepare<[string, string, string], Row>(
    `SELECT ${COLUMNS} FROM messages WHERE account = ? AND peer = ? AND direction = 'out' AND message_id = ?`,
  );
  const removeAccount = db.prepare<[string]>('DELETE FROM messages WHERE account = ?');

  return {
    /** Stores a message; undefined when the same identity is already stored. */
    insert(message: NewMessage): Message | undefined {
      const row = insert.get({
        ...message,
        stanzaId: message.stanzaId ?? null,
        originId: message.originId ?? null,
        messageId: message.messageId ?? null,
      } as unknown as NewMessage);
      return row && toMessage(row);
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
      const row = peer === undefined ? byStanzaId.get(account, stanzaId) : byPeerStanzaId.get(account, peer, stanzaId);
      return row && toOutbound(row);
    },
    removeAccount(account: string): void {
      removeAccount.run(account);
    },
  };
}
