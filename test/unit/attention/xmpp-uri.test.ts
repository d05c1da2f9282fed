import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UriRequest } from '../../../preload/contract.ts';
import { MAX_URI_LENGTH, parseXmppUri } from '../../../main/core/xmpp-uri.ts';

const ok = (uri: string) => {
  const r = parseXmppUri(uri);
  assert.ok(r.ok, `${uri}: ${r.ok ? '' : r.reason}`);
  // What the core emits must pass the contract's own check (the event would be dropped otherwise).
  assert.ok(UriRequest.safeParse(r.request).success, `${uri}: not a valid UriRequest`);
  return r.request;
};
const refused = (uri: unknown) => {
  const r = parseXmppUri(uri);
  assert.ok(!r.ok, `${String(uri)} should be refused`);
  return r.reason;
};

describe('xmpp: URIs (RFC 5122, XEP-0147)', () => {
  it('a plain address opens a conversation (case-folded, resource dropped, fragment ignored)', () => {
    assert.deepEqual(ok('xmpp:romeo@montague.net'), { action: 'open', jid: 'romeo@montague.net' });
    assert.deepEqual(ok('XMPP:Romeo@Montague.NET/orchard#top'), { action: 'open', jid: 'romeo@montague.net' });
    assert.deepEqual(ok('  xmpp:romeo@montague.net  '), { action: 'open', jid: 'romeo@montague.net' });
  });

  it('?message with a percent-encoded body (UTF-8, line breaks kept, "+" is a plus)', () => {
    assert.deepEqual(ok('xmpp:romeo@montague.net?message;body=Here%27s%20a%20test%0Aline+two'), {
      action: 'message',
      jid: 'romeo@montague.net',
      body: "Here's a test\nline+two",
    });
    assert.deepEqual(ok('xmpp:romeo@montague.net?message;subject=x;body=%E4%BD%A0%E5%A5%BD'), {
      action: 'message',
      jid: 'romeo@montague.net',
      body: '你好',
    });
    assert.deepEqual(ok('xmpp:romeo@montague.net?message'), { action: 'message', jid: 'romeo@montague.net' });
  });

  it('?subscribe, ?roster with name and group, ?join', () => {
    assert.deepEqual(ok('xmpp:romeo@montague.net?subscribe'), { action: 'subscribe', jid: 'romeo@montague.net' });
    assert.deepEqual(ok('xmpp:romeo@montague.net?roster;name=Romeo%20Montague;group=Friends'), {
      action: 'roster',
      jid: 'romeo@montague.net',
      name: 'Romeo Montague',
      group: 'Friends',
    });
    assert.deepEqual(ok('xmpp:darkcave@chat.shakespeare.lit?join'), {
      action: 'join',
      jid: 'darkcave@chat.shakespeare.lit',
    });
  });

  it('percent-encoded localparts and internationalized domains (RFC 5122 examples)', () => {
    assert.equal(
      ok('xmpp:nasty!%23$%25()*+,-.;=%3F%5B%5C%5D%5E_%60%7B%7C%7D~node@example.com').jid.split('@')[1],
      'example.com',
    );
    assert.deepEqual(ok('xmpp:ji%C5%99i@%C4%8Dechy.example'), { action: 'open', jid: 'jiři@čechy.example' });
    assert.deepEqual(ok('xmpp:用户@例子.测试'), { action: 'open', jid: '用户@例子.测试' });
  });

  it('an unknown action is a plain open; unknown keys are ignored; the first of a repeated key counts', () => {
    assert.deepEqual(ok('xmpp:romeo@montague.net?vcard'), { action: 'open', jid: 'romeo@montague.net' });
    assert.deepEqual(ok('xmpp:romeo@montague.net?pubsub;action=subscribe'), {
      action: 'open',
      jid: 'romeo@montague.net',
    });
    assert.deepEqual(ok('xmpp:romeo@montague.net?message;thread=1;body=a;body=b'), {
      action: 'message',
      jid: 'romeo@montague.net',
      body: 'a',
    });
  });

  it('refuses hostile input, saying why', () => {
    assert.match(refused('xmpp://guest@example.com/support@example.com?message'), /account/u);
    assert.match(refused('xmpp:romeo@montague.net\u0000'), /control/u);
    assert.match(refused('xmpp:romeo%00@montague.net'), /control/u);
    assert.match(refused('xmpp:romeo@montague.net?message;body=a%07b'), /control/u);
    assert.match(refused('xmpp:romeo@montague.net?roster;name=a%0Ab'), /control/u);
    assert.match(refused('xmpp:\u202eten.eugatnom@oemor'), /control/u);
    assert.match(refused('xmpp:romeo@montague.net?message;body=%ZZ'), /percent/u);
    assert.match(refused('xmpp:romeo%@montague.net'), /percent/u);
    assert.match(refused('xmpp:romeo%C3@montague.net'), /percent/u);
    assert.match(refused(`xmpp:romeo@montague.net?message;body=${'a'.repeat(MAX_URI_LENGTH)}`), /too long/u);
    assert.match(refused('xmpp:montague.net'), /name@server/u);
    assert.match(refused('xmpp:@montague.net'), /empty name/u);
    assert.match(refused('xmpp:romeo@'), /server name/u);
    assert.match(refused('xmpp:romeo@127.0.0.1'), /IP address/u);
    assert.match(refused('xmpp:romeo@[::1]'), /IP address/u);
    assert.match(refused('xmpp:romeo@bad..domain'), /server name/u);
    assert.match(refused('xmpp:romeo@exa mple.org'), /spaces/u);
    assert.match(refused('xmpp:ro<b>meo@montague.net'), /not a valid address/u);
    assert.match(refused('xmpp:a@b@montague.net'), /not a valid address/u);
    assert.match(refused('xmpp:'), /no address/u);
    assert.match(refused('https://montague.net'), /not an xmpp/u);
    assert.match(refused('javascript:alert(1)'), /not an xmpp/u);
    assert.match(refused(42), /not text/u);
    assert.match(refused(`xmpp:${'a'.repeat(1024)}@montague.net`), /too long/u);
  });
});
