import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fitToDisplays, parseWindowState, trayBitmap, xmppUriFromArgv } from '../../../main/shell/desktop-pure.ts';

const laptop = { x: 0, y: 0, width: 1440, height: 870 };
const monitor = { x: 1440, y: 0, width: 2560, height: 1410 };

describe('shell/desktop-pure: window bounds', () => {
  it('keeps bounds that are visible on a display', () => {
    const saved = { x: 100, y: 80, width: 1100, height: 740 };
    assert.deepEqual(fitToDisplays(saved, [laptop]), saved);
    const onMonitor = { x: 2000, y: 200, width: 1600, height: 1000 };
    assert.deepEqual(fitToDisplays(onMonitor, [laptop, monitor]), onMonitor);
  });

  it('brings back a window saved on a monitor that is gone, shrunk to fit', () => {
    const onMonitor = { x: 2000, y: 200, width: 1600, height: 1000 };
    assert.deepEqual(fitToDisplays(onMonitor, [laptop]), { x: 0, y: 0, width: 1440, height: 870 });
    const small = { x: 3000, y: 300, width: 800, height: 600 };
    assert.deepEqual(fitToDisplays(small, [laptop]), { x: 640, y: 270, width: 800, height: 600 });
  });

  it('pulls a window whose title bar is off screen back in; never below the minimum size', () => {
    assert.deepEqual(fitToDisplays({ x: 100, y: -500, width: 800, height: 600 }, [laptop]), {
      x: 100,
      y: 0,
      width: 800,
      height: 600,
    });
    assert.deepEqual(fitToDisplays({ x: 10, y: 10, width: 50, height: 20 }, [laptop]), {
      x: 10,
      y: 10,
      width: 640,
      height: 420,
    });
  });

  it('with no display known, the bounds are left alone', () => {
    const b = { x: 5, y: 5, width: 700, height: 500 };
    assert.deepEqual(fitToDisplays(b, []), b);
  });

  it('reads a stored window state, refusing anything malformed', () => {
    assert.deepEqual(parseWindowState({ bounds: { x: 1, y: 2, width: 800, height: 600 }, maximized: true }), {
      bounds: { x: 1, y: 2, width: 800, height: 600 },
      maximized: true,
    });
    for (const bad of [
      undefined,
      null,
      'x',
      {},
      { bounds: { x: 1, y: 2, width: -1, height: 600 } },
      { bounds: { x: 1, y: 2, width: 800, height: Number.NaN } },
      { bounds: { x: '1', y: 2, width: 800, height: 600 } },
      { bounds: { x: 1e9, y: 2, width: 800, height: 600 } },
    ])
      assert.equal(parseWindowState(bad), undefined, JSON.stringify(bad));
  });
});

describe('shell/desktop-pure: command line and tray icon', () => {
  it('finds an xmpp: link in a second launch’s arguments', () => {
    assert.equal(
      xmppUriFromArgv(['/opt/Parley/parley', '--no-sandbox', 'xmpp:romeo@montague.net?message']),
      'xmpp:romeo@montague.net?message',
    );
    assert.equal(xmppUriFromArgv(['xmpp:as-the-executable@x.org']), undefined);
    assert.equal(xmppUriFromArgv(['/opt/Parley/parley', '--flag']), undefined);
    assert.equal(xmppUriFromArgv(['/opt/Parley/parley', `xmpp:${'a'.repeat(9000)}`]), undefined);
  });

  it('draws the presence colour, with an unread dot only when there is something unread', () => {
    const size = 32;
    const at = (buf: Buffer, x: number, y: number) => [...buf.subarray((y * size + x) * 4, (y * size + x) * 4 + 4)];
    const available = trayBitmap('available', false, size);
    assert.equal(available.length, size * size * 4);
    assert.deepEqual(at(available, 16, 16), [0x37, 0x7f, 0x1a, 0xff]); // BGRA green
    assert.deepEqual(at(available, 0, 0), [0, 0, 0, 0]); // transparent corner
    assert.deepEqual(at(trayBitmap('dnd', false, size), 16, 16), [0x2f, 0x24, 0xd1, 0xff]);
    const unread = trayBitmap('available', true, size);
    assert.deepEqual(at(unread, 25, 7), [0xd6, 0x5b, 0x1d, 0xff]); // the blue dot
    assert.notDeepEqual(at(available, 25, 7), at(unread, 25, 7));
  });
});
