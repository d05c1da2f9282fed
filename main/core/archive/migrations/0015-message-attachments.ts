/**
 * 0015: a message's shared file (issue 6, XEP-0363 links with XEP-0066 out-of-band data): the
 * attachment as JSON ({url, name?, size?, mediaType?}); NULL for ordinary messages.
 */
import type { Migration } from './index.ts';

export const migration0015: Migration = {
  version: 15,
  name: 'message-attachments',
  up(db) {
    db.exec(`ALTER TABLE messages ADD COLUMN attachment TEXT CHECK (attachment IS NULL OR json_valid(attachment));`);
  },
};
