"""An independent XMPP peer for Parley's tests, built on slixmpp (Debian's python3-slixmpp).

Usage: /usr/bin/python3 slixmpp_peer.py JID PASSWORD HOST PORT CAFILE [GREET_JID]
Prints one line per event on stdout: READY, RECV <bare-jid> <body>. Answers every
chat message with "echo: <body>". Sends "hello from slixmpp" to GREET_JID once online.
"""
import asyncio
import ssl
import sys

import slixmpp


class Peer(slixmpp.ClientXMPP):
    def __init__(self, jid, password, cafile, greet):
        super().__init__(jid, password)
        self.greet = greet
        self.ssl_context = ssl.create_default_context(cafile=cafile)
        self.ssl_context.minimum_version = ssl.TLSVersion.TLSv1_2
        self.add_event_handler("session_start", self.on_start)
        self.add_event_handler("message", self.on_message)
        self.add_event_handler("failed_auth", lambda _: self.fail("AUTH-FAILED"))
        self.add_event_handler("disconnected", lambda _: self.fail("DISCONNECTED"))

    def fail(self, what):
        print(what, flush=True)
        asyncio.get_event_loop().stop()

    async def on_start(self, _event):
        self.send_presence()
        await self.get_roster()
        if self.greet:
            self.send_message(mto=self.greet, mbody="hello from slixmpp", mtype="chat")
        print("READY", flush=True)

    def on_message(self, msg):
        if msg["type"] not in ("chat", "normal") or not msg["body"]:
            return
        print("RECV %s %s" % (msg["from"].bare, msg["body"].replace("\n", "\\n")), flush=True)
        self.send_message(mto=msg["from"].bare, mbody="echo: " + msg["body"], mtype="chat")


def main():
    jid, password, host, port, cafile = sys.argv[1:6]
    greet = sys.argv[6] if len(sys.argv) > 6 else None
    peer = Peer(jid, password, cafile, greet)
    peer.connect((host, int(port)))
    asyncio.get_event_loop().run_forever()


if __name__ == "__main__":
    main()
