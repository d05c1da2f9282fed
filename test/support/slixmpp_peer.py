"""An independent XMPP peer for Parley's tests, built on slixmpp (Debian's python3-slixmpp).

Usage: /usr/bin/python3 slixmpp_peer.py JID PASSWORD HOST PORT CAFILE [GREET_JID] [--no-echo]

Prints one line per event on stdout (bodies with newlines as \\n):
  READY                              online (presence sent, roster loaded)
  RECV <bare> <body>                 any chat message with a body (then answers "echo: <body>"
                                     unless --no-echo)
  MSG <bare> <id> <body>             a plain chat message (no correction, retraction, reply)
  RECEIPT <id>                       XEP-0184 receipt for our message <id>
  STATE <bare> <state>               XEP-0085 chat state (alone or along with a message)
  DISPLAYED <id>                     XEP-0333 displayed marker for our message <id>
  CORRECTION <bare> <target> <body>  XEP-0308
  RETRACT <bare> <target>            XEP-0424 (urn:xmpp:message-retract:1)
  RETRACT0 <bare> <target>           XEP-0424 v0 (XEP-0422 fastening, urn:xmpp:message-retract:0)
  REACT <bare> <target> [<emoji>...] XEP-0444 (the sender's whole set; none: removed)
  REPLY <bare> <target> <body>       XEP-0461, the body without the XEP-0428 fallback quote
  SENT <id>                          a command's stanza left
  ERROR <text>                       a command could not be run

Reads commands on stdin, one per line (bodies may use \\n for a newline):
  SEND <jid> <id> <body>                  chat message, id = origin-id, asks for a receipt, markable
  CORRECT <jid> <new-id> <target> <body>  XEP-0308 correction
  RETRACT <jid> <new-id> <target>         XEP-0424 retraction (v1, built by hand: slixmpp 1.8 has v0 only)
  RETRACT0 <jid> <new-id> <target>        XEP-0424 v0 retraction (slixmpp's plugin elements)
  REACT <jid> <target> [<emoji>...]       XEP-0444 reactions (no emoji: remove ours)
  REPLY <jid> <new-id> <target> <body>    XEP-0461 reply with an XEP-0428 fallback quote of the target
  STATE <jid> <state>                     XEP-0085 standalone chat state
  DISPLAYED <jid> <id>                    XEP-0333 displayed marker
  RAW <xml>                               any stanza, as given
File transfer (XEP-0096 stream initiation over XEP-0065 SOCKS5 or XEP-0047 IBB):
  SENDFILE <jid> <s5b|ibb> <path> [size=<n>] [sha256=<base64>] [name=<name>]
                                          offer a file (with its XEP-0300 sha-256) to the bare JID's
                                          resource and send it (S5B: through the server's proxy);
                                          size=/sha256=/name= announce these instead (hostile sender)
                                          -> FILESENT <name> | FILEERROR <text>
  ACCEPT <s5b|ibb|none>                   answer later offers choosing this method (none: decline)
                                          -> ACCEPTING <method>; then per offer FILEOFFER <from> <name> <size>
                                          and FILERECV <name> <size> <sha256-base64> ok|mismatch|short
  HUGEOFFER <jid> <size>                  an offer announcing this size -> OFFERERROR <condition>
  SAVETO <dir|none>                       also write files accepted later into <dir> under their
                                          offered base name (none: stop saving) -> SAVING <dir|none>
  STREAMHOSTS <jid> <sid>                 an XEP-0065 streamhost list for a stream id never offered
                                          -> S5BERROR <condition>
Sends "hello from slixmpp" to GREET_JID once online.
"""
import asyncio
import os
import ssl
import sys
import xml.etree.ElementTree as ET

import slixmpp
from slixmpp.plugins.xep_0444 import stanza as reactions_stanza
from slixmpp.exceptions import IqError
from slixmpp.xmlstream.handler import Callback, CoroutineCallback
from slixmpp.xmlstream.matcher import StanzaPath

NS_CHATSTATES = "http://jabber.org/protocol/chatstates"
NS_CORRECT = "urn:xmpp:message-correct:0"
NS_RETRACT = "urn:xmpp:message-retract:1"
NS_RETRACT_0 = "urn:xmpp:message-retract:0"
NS_FASTEN = "urn:xmpp:fasten:0"
NS_REACTIONS = "urn:xmpp:reactions:0"
NS_REPLY = "urn:xmpp:reply:0"
NS_FALLBACK = "urn:xmpp:fallback:0"
NS_HINTS = "urn:xmpp:hints"
CHAT_STATES = ("active", "composing", "paused", "inactive", "gone")

RETRACT_FALLBACK = "This person attempted to retract a previous message, but it is unsupported by your client."


def out(*parts):
    print(" ".join(str(p).replace("\n", "\\n") for p in parts), flush=True)


def unescape(text):
    return text.replace("\\n", "\n")


class Peer(slixmpp.ClientXMPP):
    def __init__(self, jid, password, cafile, greet, echo):
        super().__init__(jid, password)
        self.greet = greet
        self.echo = echo
        # Bodies by message id (ours and theirs), to quote in replies: id -> (author bare JID, body).
        self.bodies = {}
        self.ssl_context = ssl.create_default_context(cafile=cafile)
        self.ssl_context.minimum_version = ssl.TLSVersion.TLSv1_2
        for plugin in ("xep_0030", "xep_0085", "xep_0184", "xep_0308", "xep_0333", "xep_0334", "xep_0359",
                       "xep_0424", "xep_0428", "xep_0444", "xep_0461"):
            self.register_plugin(plugin)
        self.plugin["xep_0184"].auto_ack = True
        self.plugin["xep_0184"].auto_request = True
        self.add_event_handler("session_start", self.on_start)
        self.add_event_handler("message", self.on_message)
        self.add_event_handler("receipt_received", lambda m: out("RECEIPT", m["receipt"]))
        self.add_event_handler("marker_displayed", lambda m: out("DISPLAYED", m["displayed"]["id"]))
        self.register_handler(Callback("Every message", StanzaPath("message"), self.on_any_message))
        self.add_event_handler("failed_auth", lambda _: self.fail("AUTH-FAILED"))
        self.add_event_handler("disconnected", lambda _: self.fail("DISCONNECTED"))
        self.stdin_buffer = b""
        setup_file_transfer(self)

    def fail(self, what):
        print(what, flush=True)
        asyncio.get_event_loop().stop()

    async def on_start(self, _event):
        self.send_presence()
        await self.get_roster()
        if self.greet:
            self.send_message(mto=self.greet, mbody="hello from slixmpp", mtype="chat")
        loop = asyncio.get_event_loop()
        try:
            loop.add_reader(sys.stdin.fileno(), self.on_stdin)
        except (OSError, ValueError):
            pass  # no stdin to read (a closed or ignored one)
        print("READY", flush=True)

    def on_message(self, msg):
        if msg["type"] not in ("chat", "normal") or not msg["body"]:
            return
        out("RECV", msg["from"].bare, msg["body"])
        if self.echo:
            self.send_message(mto=msg["from"].bare, mbody="echo: " + msg["body"], mtype="chat")

    def on_any_message(self, msg):
        """What a message means, from its elements (slixmpp's 'message' event needs a body)."""
        if msg["type"] not in ("chat", "normal"):
            return
        x = msg.xml
        frm = msg["from"].bare
        body = x.findtext("{jabber:client}body")
        for state in CHAT_STATES:
            if x.find("{%s}%s" % (NS_CHATSTATES, state)) is not None:
                out("STATE", frm, state)
        replace = x.find("{%s}replace" % NS_CORRECT)
        retract = x.find("{%s}retract" % NS_RETRACT)
        fasten = x.find("{%s}apply-to" % NS_FASTEN)
        reactions = x.find("{%s}reactions" % NS_REACTIONS)
        reply = x.find("{%s}reply" % NS_REPLY)
        if retract is not None:
            out("RETRACT", frm, retract.get("id"))
        if fasten is not None and fasten.find("{%s}retract" % NS_RETRACT_0) is not None:
            out("RETRACT0", frm, fasten.get("id"))
        if retract is not None or fasten is not None:
            return
        if reactions is not None:
            emojis = [r.text or "" for r in reactions.findall("{%s}reaction" % NS_REACTIONS)]
            out("REACT", frm, reactions.get("id"), *emojis)
            return
        if replace is not None:
            if body is not None:
                out("CORRECTION", frm, replace.get("id"), body)
            return
        if body is None:
            return
        if msg["id"]:
            self.bodies[msg["id"]] = (frm, body)
        if reply is not None:
            out("REPLY", frm, reply.get("id"), strip_fallback(x, body, NS_REPLY))
        else:
            out("MSG", frm, msg["id"], body)

    def on_stdin(self):
        chunk = os.read(sys.stdin.fileno(), 65536)
        if not chunk:
            asyncio.get_event_loop().remove_reader(sys.stdin.fileno())
            return
        self.stdin_buffer += chunk
        while b"\n" in self.stdin_buffer:
            line, self.stdin_buffer = self.stdin_buffer.split(b"\n", 1)
            try:
                self.command(line.decode("utf-8"))
            except Exception as err:  # a bad command must not end the peer
                out("ERROR", repr(err))

    def chat(self, to, msg_id, body=None):
        msg = self.make_message(mto=to, mtype="chat")
        msg["id"] = msg_id
        if body is not None:
            msg["body"] = body
        msg["origin_id"]["id"] = msg_id
        return msg

    def command(self, line):
        verb, _, rest = line.partition(" ")
        if verb == "SEND":
            to, msg_id, body = rest.split(" ", 2)
            msg = self.chat(to, msg_id, unescape(body))
            msg["request_receipt"] = True
            msg.enable("markable")
            self.bodies[msg_id] = (self.boundjid.bare, unescape(body))
            msg.send()
        elif verb == "CORRECT":
            to, msg_id, target, body = rest.split(" ", 3)
            msg = self.chat(to, msg_id, unescape(body))
            msg["replace"]["id"] = target
            msg.send()
        elif verb == "RETRACT":
            to, msg_id, target = rest.split(" ")
            msg = self.chat(to, msg_id, RETRACT_FALLBACK)
            ET.SubElement(msg.xml, "{%s}retract" % NS_RETRACT, {"id": target})
            ET.SubElement(msg.xml, "{%s}fallback" % NS_FALLBACK, {"for": NS_RETRACT})
            msg.enable("store")
            msg.send()
        elif verb == "RETRACT0":
            to, msg_id, target = rest.split(" ")
            msg = self.chat(to, msg_id, RETRACT_FALLBACK)
            msg.enable("fallback")
            msg["apply_to"]["id"] = target
            msg["apply_to"].enable("retract")
            msg.enable("store")
            msg.send()
        elif verb == "REACT":
            to, target, *emojis = rest.split(" ")
            msg = self.make_message(mto=to, mtype="chat")
            msg["reactions"]["id"] = target
            for emoji in emojis:
                reaction = reactions_stanza.Reaction()
                reaction.set_value(emoji, all_chars=True)
                msg["reactions"].append(reaction)
            msg.enable("store")
            msg.send()
        elif verb == "REPLY":
            to, msg_id, target, body = rest.split(" ", 3)
            author, quoted = self.bodies.get(target, (to, ""))
            fallback = "".join("> %s\n" % q for q in quoted.split("\n")) if quoted else ""
            msg = self.chat(to, msg_id, fallback + unescape(body))
            msg["reply"]["id"] = target
            msg["reply"]["to"] = author
            if fallback:
                el = ET.SubElement(msg.xml, "{%s}fallback" % NS_FALLBACK, {"for": NS_REPLY})
                ET.SubElement(el, "{%s}body" % NS_FALLBACK, {"start": "0", "end": str(len(fallback))})
            msg["request_receipt"] = True
            msg.send()
        elif verb == "STATE":
            to, state = rest.split(" ")
            msg = self.make_message(mto=to, mtype="chat")
            msg["chat_state"] = state
            msg.enable("no-store")
            msg.send()
        elif verb == "DISPLAYED":
            to, msg_id = rest.split(" ")
            self.plugin["xep_0333"].send_marker(to, msg_id, "displayed")
        elif verb == "RAW":
            self.send_raw(rest)
        elif verb in FILE_COMMANDS:
            file_command(self, verb, rest)
            return
        else:
            out("ERROR", "unknown command " + verb)
            return
        out("SENT", rest.split(" ")[1] if " " in rest else rest)


# File transfer (issue 6) ------------------------------------------------------------------------

NS_SI = "http://jabber.org/protocol/si"
NS_FT = "http://jabber.org/protocol/si/profile/file-transfer"
NS_S5B = "http://jabber.org/protocol/bytestreams"
NS_IBB = "http://jabber.org/protocol/ibb"
NS_HASHES = "urn:xmpp:hashes:2"
FILE_COMMANDS = ("SENDFILE", "ACCEPT", "HUGEOFFER", "STREAMHOSTS", "SAVETO")
METHODS = {"s5b": NS_S5B, "ibb": NS_IBB}


def setup_file_transfer(peer):
    for plugin in ("xep_0020", "xep_0047", "xep_0065", "xep_0095", "xep_0096"):
        peer.register_plugin(plugin)
    si = peer.plugin["xep_0095"]
    # slixmpp 1.8.3: its 'SI Request' handler is a coroutine registered as a plain Callback
    # (never awaited: offers are dropped silently). Register it as a CoroutineCallback.
    peer.remove_handler("SI Request")
    peer.register_handler(CoroutineCallback("SI Request", StanzaPath("iq@type=set/si"), si._handle_request))
    # Its IBB receiver forgets a pre-authorised stream id at the first <open/>, so the
    # block-size renegotiation (resource-constraint, then a smaller <open/>) would be refused.
    peer.plugin["xep_0047"].auto_accept = True
    peer.accept_method = None
    peer.save_dir = None  # SAVETO: where accepted files are also written
    peer.incoming = None  # (name, size, expected sha256, hasher, received)
    peer.add_event_handler("si_request", lambda iq: asyncio.ensure_future(on_si_request(peer, iq)))
    peer.add_event_handler("socks5_data", lambda data: on_file_data(peer, data))
    peer.add_event_handler("socks5_closed", lambda _exc: on_file_end(peer))
    peer.add_event_handler("ibb_stream_data", lambda stream: on_ibb_data(peer, stream))
    peer.add_event_handler("ibb_stream_end", lambda _stream: on_file_end(peer))


def rank_methods(peer, preferred):
    """slixmpp ranks IBB above SOCKS5; put the method we want first."""
    si = peer.plugin["xep_0095"]
    si._methods_order.sort(key=lambda entry: (entry[1] != preferred, entry[0]))


def full_jid(peer, jid):
    if "/" in jid:
        return jid
    resources = list(peer.client_roster[jid].resources.keys())
    return "%s/%s" % (jid, resources[0]) if resources else jid


async def on_si_request(peer, iq):
    import hashlib
    sid = iq["si"]["id"]
    file = iq["si"].xml.find("{%s}file" % NS_FT)
    name = file.get("name") if file is not None else ""
    size = int(file.get("size", "0")) if file is not None else 0
    expected = None
    if file is not None:
        for h in file.findall("{%s}hash" % NS_HASHES):
            if h.get("algo") == "sha-256":
                expected = (h.text or "").strip()
    out("FILEOFFER", iq["from"], name, size)
    si = peer.plugin["xep_0095"]
    if peer.accept_method is None:
        await si.decline(iq["from"], sid, ifrom=iq["to"])
        return
    peer.incoming = {"name": name, "size": size, "expected": expected, "hash": hashlib.sha256(), "received": 0}
    if peer.save_dir is not None:
        safe = os.path.basename(name.replace("\\", "/"))
        safe = "file" if safe in ("", ".", "..") else safe
        peer.incoming["file"] = open(os.path.join(peer.save_dir, safe), "wb")
    await si.accept(iq["from"], sid, ifrom=iq["to"])


def on_file_data(peer, data):
    inc = peer.incoming
    if inc is None:
        return
    inc["hash"].update(data)
    inc["received"] += len(data)
    if "file" in inc:
        inc["file"].write(data)
    if inc["received"] >= inc["size"]:
        finish_incoming(peer)


def on_ibb_data(peer, stream):
    while True:
        try:
            data = stream.read()
        except Exception:
            return
        on_file_data(peer, data)


def on_file_end(peer):
    if peer.incoming is not None:
        finish_incoming(peer)


def finish_incoming(peer):
    import base64
    inc, peer.incoming = peer.incoming, None
    if "file" in inc:
        inc["file"].close()
    digest = base64.b64encode(inc["hash"].digest()).decode()
    if inc["received"] < inc["size"]:
        verdict = "short"
    elif inc["expected"] is not None and inc["expected"] != digest:
        verdict = "mismatch"
    else:
        verdict = "ok" if inc["received"] == inc["size"] else "mismatch"
    out("FILERECV", inc["name"], inc["received"], digest, verdict)


def file_offer_payload(name, size, sha256=None):
    from slixmpp.plugins.xep_0096.stanza import File
    data = File()
    data["name"] = name
    data["size"] = str(size)
    if sha256:
        h = ET.SubElement(data.xml, "{%s}hash" % NS_HASHES, {"algo": "sha-256"})
        h.text = sha256
    return data


async def send_file(peer, jid, method, path, lies):
    import base64
    import hashlib
    from uuid import uuid4
    name = lies.get("name", os.path.basename(path))
    with open(path, "rb") as f:
        content = f.read()
    to = full_jid(peer, jid)
    sid = uuid4().hex
    try:
        await peer.plugin["xep_0095"].offer(
            to, sid=sid, profile=NS_FT, mime_type="application/octet-stream",
            payload=file_offer_payload(
                name, lies.get("size", len(content)),
                lies.get("sha256", base64.b64encode(hashlib.sha256(content).digest()).decode())),
            methods=[{"value": METHODS[method]}], timeout=30)
        if method == "s5b":
            sock = await peer.plugin["xep_0065"].handshake(to, sid=sid, timeout=30)
            if sock is None:
                raise RuntimeError("no SOCKS5 connection")
            for i in range(0, len(content), 65536):
                await sock.write(content[i:i + 65536])
            sock.transport.close()
        else:
            stream = await peer.plugin["xep_0047"].open_stream(to, sid=sid, block_size=4096, timeout=30)
            for i in range(0, len(content), stream.block_size):
                await stream.send(content[i:i + stream.block_size], timeout=30)
            await stream.close(timeout=30)
        out("FILESENT", name)
    except Exception as err:
        out("FILEERROR", repr(err))


async def huge_offer(peer, jid, size):
    try:
        await peer.plugin["xep_0095"].offer(
            full_jid(peer, jid), profile=NS_FT, payload=file_offer_payload("huge.bin", size),
            methods=[{"value": NS_S5B}], timeout=30)
        out("OFFERERROR", "none")
    except IqError as err:
        out("OFFERERROR", err.iq["error"]["condition"])


async def stray_streamhosts(peer, jid, sid):
    iq = peer.Iq()
    iq["to"] = full_jid(peer, jid)
    iq["type"] = "set"
    iq["socks"]["sid"] = sid
    iq["socks"].add_streamhost(str(peer.boundjid), "127.0.0.1", "9")
    try:
        await iq.send(timeout=30)
        out("S5BERROR", "none")
    except IqError as err:
        out("S5BERROR", err.iq["error"]["condition"])


def file_command(peer, verb, rest):
    if verb == "SENDFILE":
        jid, method, path, *options = rest.split(" ")
        lies = dict(option.split("=", 1) for option in options)
        asyncio.ensure_future(send_file(peer, jid, method, path, lies))
    elif verb == "ACCEPT":
        peer.accept_method = METHODS.get(rest)
        if peer.accept_method:
            rank_methods(peer, peer.accept_method)
        out("ACCEPTING", rest)
    elif verb == "HUGEOFFER":
        jid, size = rest.split(" ")
        asyncio.ensure_future(huge_offer(peer, jid, size))
    elif verb == "STREAMHOSTS":
        jid, sid = rest.split(" ")
        asyncio.ensure_future(stray_streamhosts(peer, jid, sid))
    elif verb == "SAVETO":
        peer.save_dir = None if rest == "none" else rest
        out("SAVING", rest)


def strip_fallback(x, body, for_ns):
    """XEP-0428: the body without the fallback ranges (in code points) for `for_ns`."""
    for fallback in x.findall("{%s}fallback" % NS_FALLBACK):
        if fallback.get("for") != for_ns:
            continue
        ranges = []
        for b in fallback.findall("{%s}body" % NS_FALLBACK):
            try:
                ranges.append((int(b.get("start", "0")), int(b.get("end", str(len(body))))))
            except ValueError:
                return body
        for start, end in sorted(ranges, reverse=True):
            body = body[:start] + body[end:]
    return body


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    flags = {a for a in sys.argv[1:] if a.startswith("--")}
    jid, password, host, port, cafile = args[0:5]
    greet = args[5] if len(args) > 5 else None
    peer = Peer(jid, password, cafile, greet, echo="--no-echo" not in flags)
    peer.connect((host, int(port)))
    asyncio.get_event_loop().run_forever()


if __name__ == "__main__":
    main()
