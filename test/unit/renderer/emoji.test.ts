import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { completeShortcode, EMOJI, emojiFor, replaceShortcodes } from '../../../renderer/features/chat/emoji.ts';

describe('renderer/emoji: shortcodes', () => {
  it('has a compact table of common names, each unique, with the usual aliases', () => {
    assert.ok(EMOJI.length >= 150, String(EMOJI.length));
    assert.equal(new Set(EMOJI.map(([name]) => name)).size, EMOJI.length);
    for (const [name, emoji] of EMOJI) {
      assert.match(name, /^[a-z0-9_+-]+$/u);
      assert.ok(emoji.length > 0 && emoji.length <= 4, name);
    }
    for (const name of [
      'smile',
      'grin',
      'joy',
      'wink',
      'heart',
      'tada',
      'fire',
      'ok_hand',
      'pray',
      'clap',
      'cry',
      'sob',
    ])
      assert.ok(emojiFor(name), name);
    assert.equal(emojiFor('+1'), '👍');
    assert.equal(emojiFor('thumbsup'), '👍');
    assert.equal(emojiFor('-1'), '👎');
    assert.equal(emojiFor('rofl'), '🤣');
    assert.equal(emojiFor('thinking'), '🤔');
    assert.equal(emojiFor('nope'), undefined);
  });

  it('replaces known :name: shortcodes and leaves everything else as typed', () => {
    assert.equal(replaceShortcodes('hi :smile: :+1::tada:'), 'hi 😄 👍🎉');
    assert.equal(replaceShortcodes('好的:thumbsup:'), '好的👍');
    assert.equal(replaceShortcodes(':unknown: :Smile: : smile: :smile'), ':unknown: :Smile: : smile: :smile');
    assert.equal(replaceShortcodes('at 10:100:5 and a:smile:'), 'at 10:100:5 and a:smile:');
    assert.equal(replaceShortcodes('no colons at all'), 'no colons at all');
  });

  it('leaves shortcodes inside code spans, preformatted blocks and links alone', () => {
    assert.equal(replaceShortcodes('`:smile:` :smile:'), '`:smile:` 😄');
    assert.equal(replaceShortcodes('```\n:smile:\n```\n:smile:'), '```\n:smile:\n```\n😄');
    assert.equal(replaceShortcodes('```\nunterminated :smile:'), '```\nunterminated :smile:');
    assert.equal(replaceShortcodes('https://example.org/:smile:/x :smile:'), 'https://example.org/:smile:/x 😄');
    // an unpaired backtick is no code span
    assert.equal(replaceShortcodes('it`s :smile:'), 'it`s 😄');
  });

  it('completes a shortcode as its closing colon is typed, moving the caret', () => {
    assert.deepEqual(completeShortcode('hi :smile:', 10), { text: 'hi 😄', caret: 5 });
    assert.deepEqual(completeShortcode('a :fire: b', 8), { text: 'a 🔥 b', caret: 4 });
    assert.equal(completeShortcode('hi :nope:', 9), undefined);
    assert.equal(completeShortcode('hi :smile', 9), undefined);
  });

  it('does not complete inside code or a link being typed', () => {
    assert.equal(completeShortcode('see `x :smile:', 14), undefined);
    assert.equal(completeShortcode('```\n:smile:', 11), undefined);
    assert.equal(completeShortcode('https://example.org/:smile:', 27), undefined);
    assert.equal(completeShortcode('mailto::smile:', 14), undefined);
  });
});
