import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { discoKey, parseDiscoInfo, parseDiscoItems, type DiscoInfo } from '../../../main/core/xmpp/disco.ts';
import {
  buildGatewayPromptRequest,
  buildGatewayPromptSubmit,
  findGateways,
  gatewayForContact,
  parseGatewayPrompt,
  parseGatewayPromptResult,
} from '../../../main/core/xmpp/gateways.ts';
import { parseRegistrationForm } from '../../../main/core/xmpp/register.ts';
import { parseSubscription } from '../../../main/core/xmpp/roster-ops.ts';
import { stanza } from '../../support/stanza.ts';

function discoInfo(text: string): DiscoInfo {
  const info = parseDiscoInfo(stanza(text));
  assert.ok(info);
  return info;
}

describe('xmpp/gateways (XEP-0100; stanza fixtures: Prosody 0.12 has no module)', () => {
  it('identifies gateways from disco items and info', () => {
    const items = parseDiscoItems(
      stanza(`<query xmlns="http://jabber.org/protocol/disco#items">
        <item jid="aim.shakespeare.lit" name="AIM Gateway"/>
        <item jid="conference.shakespeare.lit"/>
        <item jid="telegram.shakespeare.lit"/>
        <item jid="odd.shakespeare.lit"/>
        <item jid="irc.shakespeare.lit"/>
      </query>`),
    );
    assert.ok(items);
    const infos = new Map([
      [
        discoKey('aim.shakespeare.lit'),
        discoInfo(`<query xmlns="http://jabber.org/protocol/disco#info">
          <identity category="gateway" type="aim"/>
          <feature var="jabber:iq:gateway"/><feature var="jabber:iq:register"/>
        </query>`),
      ],
      [
        discoKey('conference.shakespeare.lit'),
        discoInfo(
          `<query xmlns="http://jabber.org/protocol/disco#info"><identity category="conference" type="text"/></query>`,
        ),
      ],
      [
        discoKey('telegram.shakespeare.lit'),
        discoInfo(`<query xmlns="http://jabber.org/protocol/disco#info">
          <identity category="gateway" type="Telegram" name="Slidge Telegram"/><feature var="jabber:iq:register"/>
        </query>`),
      ],
      [
        discoKey('odd.shakespeare.lit'),
        discoInfo(
          `<query xmlns="http://jabber.org/protocol/disco#info"><identity category="gateway" type="no spaces allowed"/></query>`,
        ),
      ],
      [
        discoKey('irc.shakespeare.lit'),
        discoInfo(
          `<query xmlns="http://jabber.org/protocol/disco#info"><identity category="gateway" type="irc"/></query>`,
        ),
      ],
    ]);
    assert.deepEqual(findGateways(items.items, infos), [
      { jid: 'aim.shakespeare.lit', type: 'aim', name: 'AIM Gateway', registrable: true, prompt: true },
      { jid: 'telegram.shakespeare.lit', type: 'telegram', name: 'Slidge Telegram', registrable: true, prompt: false },
      { jid: 'irc.shakespeare.lit', type: 'irc', name: 'IRC', registrable: false, prompt: false },
    ]);
  });

  it('tells which gateway a contact belongs to', () => {
    const gateways = [{ jid: 'aim.shakespeare.lit' }, { jid: 'irc.shakespeare.lit' }];
    assert.equal(gatewayForContact('CapuletNurse@aim.shakespeare.lit', gateways), 'aim.shakespeare.lit');
    assert.equal(gatewayForContact('aim.shakespeare.lit', gateways), 'aim.shakespeare.lit');
    assert.equal(gatewayForContact('romeo@montague.net', gateways), undefined);
    assert.equal(gatewayForContact('@@', gateways), undefined);
  });

  it('registers through XEP-0077 (register.ts) against the gateway', () => {
    const form = parseRegistrationForm(
      stanza(`<query xmlns="jabber:iq:register">
        <instructions>Please enter your AIM screenname and password.</instructions>
        <username/><password/>
      </query>`),
    );
    assert.equal(form?.kind, 'legacy');
    assert.deepEqual(
      form.fields.map((f) => f.var),
      ['username', 'password'],
    );
  });

  it("accepts the gateway's own subscription only when told it is a gateway", () => {
    const presence = stanza(`<presence from="aim.shakespeare.lit" type="subscribe"/>`);
    assert.equal(parseSubscription(presence), undefined);
    assert.deepEqual(parseSubscription(presence, { acceptDomain: (d) => d === 'aim.shakespeare.lit' }), {
      kind: 'subscribe',
      from: 'aim.shakespeare.lit',
    });
  });

  it('asks the prompt and translates a legacy address (jabber:iq:gateway)', () => {
    assert.equal(buildGatewayPromptRequest().toString(), `<query xmlns="jabber:iq:gateway"/>`);
    assert.deepEqual(
      parseGatewayPrompt(
        stanza(`<query xmlns="jabber:iq:gateway">
          <desc>Please enter the AOL Screen Name of the person you would like to contact.</desc>
          <prompt>Contact ID</prompt>
        </query>`),
      ),
      { desc: 'Please enter the AOL Screen Name of the person you would like to contact.', prompt: 'Contact ID' },
    );
    assert.deepEqual(parseGatewayPrompt(stanza(`<query xmlns="jabber:iq:gateway"/>`)), {});
    assert.equal(parseGatewayPrompt(stanza(`<query xmlns="jabber:iq:register"/>`)), undefined);
    assert.equal(
      buildGatewayPromptSubmit(' CapuletNurse ').toString(),
      `<query xmlns="jabber:iq:gateway"><prompt>CapuletNurse</prompt></query>`,
    );
  });

  it('accepts a translated JID only at the gateway itself', () => {
    const result = (inner: string) =>
      parseGatewayPromptResult(stanza(`<query xmlns="jabber:iq:gateway">${inner}</query>`), 'aim.shakespeare.lit');
    assert.equal(result('<jid>CapuletNurse@aim.shakespeare.lit</jid>'), 'capuletnurse@aim.shakespeare.lit');
    // Older gateways answer in <prompt/>.
    assert.equal(result('<prompt>CapuletNurse@aim.shakespeare.lit</prompt>'), 'capuletnurse@aim.shakespeare.lit');
    assert.equal(result('<jid>mallory@evil.example</jid>'), undefined);
    assert.equal(result('<jid>aim.shakespeare.lit</jid>'), undefined);
    assert.equal(result('<jid>x@aim.shakespeare.lit/res</jid>'), undefined);
    assert.equal(result('<jid>not a jid</jid>'), undefined);
    assert.equal(result(''), undefined);
  });
});
