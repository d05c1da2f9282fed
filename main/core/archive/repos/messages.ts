/** Messages: stored once per identity, read in pages, newest last. */
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
}

const COLUMNS = 'id, account, peer, direction, body, timestamp, state';

export function toMessage(row: Row): Message {
  return {
    id: row.id,
    accountId: row.account,
    peer: row.peer,
    direction: row.direction,
    body: row.body,
    timestamp: row.timestamp,
    state: row.state,
  };
}

export type MessageRepo = ReturnType<typeof createMessageRepo>;

export function createMessageRepo(db: Db) {
  const insert = db.prepare<NewMessage, Row>(`
    INSERT INTO messages (account, peer, direction, sender_key, stanza_id, origin_id, message_id, body, timestamp, received_at, state)
    VALUES (@account, @peer, @direction, @senderKey, @stanzaId, @originId, @messageId, @body, @timestamp, @receivedAt, @state)
    ON CONFLICT DO NOTHING
    RETURNING ${COLUMNS}`);
  const setState = db.prepare<[MessageState, number], Row>(
    `UPDATE messages SET state = ? WHERE id = ? RETURNING ${COLUMNS}`,
  );
  const page = db.prepare<[string, string, number, number], Row>(
    `SELECT ${COLUMNS} FROM messages WHERE account = ? AND peer = ? AND id < ? ORDER BY id DESC LIMIT ?`,
  );
  const pending = db.prepare<[string], Row>(
    `SELECT ${COLUMNS} FROM messages WHERE account = ? AND state = 'pending' ORDER BY id`,
  );

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
    setState(id: number, state: MessageState): Message | undefined {
      const row = setState.get(state, id);
      return row && toMessage(row);
    },
    /** Oldest first; `before` pages backwards by id. */
    list(account: string, peer: string, before = Number.MAX_SAFE_INTEGER, limit = 50): Message[] {
      return page.all(account, peer, before, limit).reverse().map(toMessage);
    },
    pending(account: string): Message[] {
      return pending.all(account).map(toMessage);
    },
  };
}
