import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDiscoInfo } from '../../../main/core/xmpp/disco.ts';
import {
  buildInvisible,
  buildVisible,
  invisibleNamespace,
  NS_INVISIBLE_0,
  NS_INVISIBLE_1,
} from '../../../main/core/xmpp/invisible.ts';
import { stanza } from '../../support/stanza.ts';

const serverInfo = (...features: string[]) => {
  const info = parseDiscoInfo(
    stanza(
      `<query xmlns="http://jabber.org/protocol/disco#info"><identity category="server" type="im"/>${features
        .map((f) => `<feature var="${f}"/>`)
        .join('')}</query>`,
    ),
  );
  assert.ok(info);
  return info;
};

describe('xmpp/invisible (XEP-0186; stanza fixtures: Prosody 0.12 has no module)', () => {
  it('finds the version the server offers, the later one first', () => {
    assert.equal(invisibleNamespace(serverInfo('urn:xmpp:ping', NS_INVISIBLE_0)), NS_INVISIBLE_0);
    assert.equal(invisibleNamespace(serverInfo(NS_INVISIBLE_0, NS_INVISIBLE_1)), NS_INVISIBLE_1);
    // Prosody 0.12: none, so Invisible can only be "appear offline".
    assert.equal(invisibleNamespace(serverInfo('urn:xmpp:ping', 'jabber:iq:roster')), undefined);
    assert.equal(invisibleNamespace(serverInfo('urn:xmpp:invisible:2')), undefined);
    assert.equal(invisibleNamespace(undefined), undefined);
  });

  it('builds the invisible and visible commands', () => {
    assert.equal(buildInvisible(NS_INVISIBLE_0).toString(), '<invisible xmlns="urn:xmpp:invisible:0"/>');
    assert.equal(buildInvisible(NS_INVISIBLE_1).toString(), '<invisible xmlns="urn:xmpp:invisible:1" probe="true"/>');
    assert.equal(
      buildInvisible(NS_INVISIBLE_1, false).toString(),
      '<invisible xmlns="urn:xmpp:invisible:1" probe="false"/>',
    );
    assert.equal(buildVisible(NS_INVISIBLE_0).toString(), '<visible xmlns="urn:xmpp:invisible:0"/>');
    assert.equal(buildVisible(NS_INVISIBLE_1).toString(), '<visible xmlns="urn:xmpp:invisible:1"/>');
  });
});
