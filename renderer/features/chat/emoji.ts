/**
 * Emoji shortcodes (":smile:" → 😄) for the composer, and the picker's list.
 * The names follow the common GitHub/Slack spellings. Pure: unit-tested in Node.
 *
 * A shortcode is replaced only where it is text: not inside a link, a
 * preformatted span (`…`) or a preformatted block (``` … ```), where the
 * colons are probably meant literally.
 */
import { findLinks } from './styling.ts';

/** The picker's emoji, in order: [shortcode, emoji]. */
export const EMOJI: readonly (readonly [name: string, emoji: string])[] = [
  // faces
  ['smile', '😄'],
  ['smiley', '😃'],
  ['grinning', '😀'],
  ['grin', '😁'],
  ['laughing', '😆'],
  ['sweat_smile', '😅'],
  ['joy', '😂'],
  ['rofl', '🤣'],
  ['slightly_smiling_face', '🙂'],
  ['upside_down_face', '🙃'],
  ['wink', '😉'],
  ['blush', '😊'],
  ['innocent', '😇'],
  ['smiling_face_with_three_hearts', '🥰'],
  ['heart_eyes', '😍'],
  ['star_struck', '🤩'],
  ['kissing_heart', '😘'],
  ['kissing', '😗'],
  ['yum', '😋'],
  ['stuck_out_tongue', '😛'],
  ['stuck_out_tongue_winking_eye', '😜'],
  ['zany_face', '🤪'],
  ['money_mouth_face', '🤑'],
  ['hugs', '🤗'],
  ['hand_over_mouth', '🤭'],
  ['shushing_face', '🤫'],
  ['thinking', '🤔'],
  ['zipper_mouth_face', '🤐'],
  ['raised_eyebrow', '🤨'],
  ['neutral_face', '😐'],
  ['expressionless', '😑'],
  ['no_mouth', '😶'],
  ['smirk', '😏'],
  ['unamused', '😒'],
  ['roll_eyes', '🙄'],
  ['grimacing', '😬'],
  ['lying_face', '🤥'],
  ['relieved', '😌'],
  ['pensive', '😔'],
  ['sleepy', '😪'],
  ['drooling_face', '🤤'],
  ['sleeping', '😴'],
  ['mask', '😷'],
  ['face_with_thermometer', '🤒'],
  ['nauseated_face', '🤢'],
  ['vomiting_face', '🤮'],
  ['sneezing_face', '🤧'],
  ['hot_face', '🥵'],
  ['cold_face', '🥶'],
  ['woozy_face', '🥴'],
  ['dizzy_face', '😵'],
  ['exploding_head', '🤯'],
  ['cowboy_hat_face', '🤠'],
  ['partying_face', '🥳'],
  ['sunglasses', '😎'],
  ['nerd_face', '🤓'],
  ['monocle_face', '🧐'],
  ['confused', '😕'],
  ['worried', '😟'],
  ['slightly_frowning_face', '🙁'],
  ['open_mouth', '😮'],
  ['hushed', '😯'],
  ['astonished', '😲'],
  ['flushed', '😳'],
  ['pleading_face', '🥺'],
  ['fearful', '😨'],
  ['cold_sweat', '😰'],
  ['disappointed_relieved', '😥'],
  ['cry', '😢'],
  ['sob', '😭'],
  ['scream', '😱'],
  ['confounded', '😖'],
  ['persevere', '😣'],
  ['disappointed', '😞'],
  ['sweat', '😓'],
  ['weary', '😩'],
  ['tired_face', '😫'],
  ['yawning_face', '🥱'],
  ['triumph', '😤'],
  ['rage', '😡'],
  ['angry', '😠'],
  ['cursing_face', '🤬'],
  ['smiling_imp', '😈'],
  ['skull', '💀'],
  ['poop', '💩'],
  ['clown_face', '🤡'],
  ['ghost', '👻'],
  ['alien', '👽'],
  ['robot', '🤖'],
  ['see_no_evil', '🙈'],
  ['hear_no_evil', '🙉'],
  ['speak_no_evil', '🙊'],
  // hearts and symbols
  ['heart', '❤️'],
  ['orange_heart', '🧡'],
  ['yellow_heart', '💛'],
  ['green_heart', '💚'],
  ['blue_heart', '💙'],
  ['purple_heart', '💜'],
  ['black_heart', '🖤'],
  ['broken_heart', '💔'],
  ['two_hearts', '💕'],
  ['sparkling_heart', '💖'],
  ['100', '💯'],
  ['boom', '💥'],
  ['dizzy', '💫'],
  ['zzz', '💤'],
  ['sparkles', '✨'],
  ['fire', '🔥'],
  ['star', '⭐'],
  ['zap', '⚡'],
  ['white_check_mark', '✅'],
  ['x', '❌'],
  ['warning', '⚠️'],
  ['question', '❓'],
  ['exclamation', '❗'],
  ['no_entry_sign', '🚫'],
  // people and hands
  ['wave', '👋'],
  ['raised_hand', '✋'],
  ['ok_hand', '👌'],
  ['v', '✌️'],
  ['crossed_fingers', '🤞'],
  ['metal', '🤘'],
  ['call_me_hand', '🤙'],
  ['point_left', '👈'],
  ['point_right', '👉'],
  ['point_up_2', '👆'],
  ['point_down', '👇'],
  ['thumbsup', '👍'],
  ['thumbsdown', '👎'],
  ['fist', '👊'],
  ['clap', '👏'],
  ['raised_hands', '🙌'],
  ['open_hands', '👐'],
  ['handshake', '🤝'],
  ['pray', '🙏'],
  ['muscle', '💪'],
  ['eyes', '👀'],
  ['brain', '🧠'],
  ['shrug', '🤷'],
  ['facepalm', '🤦'],
  // things
  ['tada', '🎉'],
  ['confetti_ball', '🎊'],
  ['balloon', '🎈'],
  ['gift', '🎁'],
  ['birthday', '🎂'],
  ['trophy', '🏆'],
  ['rocket', '🚀'],
  ['sunny', '☀️'],
  ['cloud', '☁️'],
  ['umbrella', '☔'],
  ['snowflake', '❄️'],
  ['rainbow', '🌈'],
  ['rose', '🌹'],
  ['sunflower', '🌻'],
  ['four_leaf_clover', '🍀'],
  ['dog', '🐶'],
  ['cat', '🐱'],
  ['unicorn', '🦄'],
  ['bug', '🐛'],
  ['coffee', '☕'],
  ['tea', '🍵'],
  ['beer', '🍺'],
  ['beers', '🍻'],
  ['wine_glass', '🍷'],
  ['pizza', '🍕'],
  ['hamburger', '🍔'],
  ['cake', '🍰'],
  ['cookie', '🍪'],
  ['apple', '🍎'],
  ['bulb', '💡'],
  ['wrench', '🔧'],
  ['lock', '🔒'],
  ['key', '🔑'],
  ['bell', '🔔'],
  ['memo', '📝'],
  ['calendar', '📅'],
  ['email', '📧'],
  ['computer', '💻'],
  ['hourglass', '⌛'],
  ['alarm_clock', '⏰'],
];

/** Other common spellings of the same emoji. */
const ALIASES: Readonly<Record<string, string>> = {
  '+1': 'thumbsup',
  thumbs_up: 'thumbsup',
  '-1': 'thumbsdown',
  thumbs_down: 'thumbsdown',
  satisfied: 'laughing',
  rolling_on_the_floor_laughing: 'rofl',
  slight_smile: 'slightly_smiling_face',
  hugging_face: 'hugs',
  facepunch: 'fist',
  punch: 'fist',
  hankey: 'poop',
  thinking_face: 'thinking',
  face_palm: 'facepalm',
  heavy_check_mark: 'white_check_mark',
  point_up: 'point_up_2',
};

const BY_NAME: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>(EMOJI);
  for (const [alias, name] of Object.entries(ALIASES)) {
    const emoji = map.get(name);
    if (emoji !== undefined) map.set(alias, emoji);
  }
  return map;
})();

/** The emoji for a shortcode name (without colons), if known. */
export function emojiFor(name: string): string | undefined {
  return BY_NAME.get(name);
}

/** Not glued to a preceding ASCII letter or digit ("10:100:5" is no shortcode). */
const SHORTCODE = /(?<![A-Za-z0-9]):([a-z0-9_+-]{1,40}):/gu;

/** [start, end) ranges of `text` where shortcodes are left alone: code blocks, code spans, links. */
function literalRanges(text: string, openEnded: boolean): [number, number][] {
  const ranges: [number, number][] = [];
  let offset = 0;
  let fenceFrom: number | null = null;
  for (const line of text.split('\n')) {
    const end = offset + line.length;
    if (fenceFrom === null && line.startsWith('```')) fenceFrom = offset;
    else if (fenceFrom !== null && line === '```') {
      ranges.push([fenceFrom, end]);
      fenceFrom = null;
    } else if (fenceFrom === null) {
      // `code` spans: backticks pair up within a line; an unpaired one is code to the line's end while typing.
      let open: number | null = null;
      for (let i = line.indexOf('`'); i !== -1; i = line.indexOf('`', i + 1)) {
        if (open === null) open = i;
        else {
          ranges.push([offset + open, offset + i + 1]);
          open = null;
        }
      }
      if (open !== null && openEnded) ranges.push([offset + open, end]);
      for (const link of findLinks(line)) ranges.push([offset + link.start, offset + link.end]);
    }
    offset = end + 1;
  }
  // An unterminated block runs to the end of the message (XEP-0393 §5.1.2).
  if (fenceFrom !== null) ranges.push([fenceFrom, text.length]);
  return ranges;
}

const inside = (ranges: readonly [number, number][], from: number, to: number): boolean =>
  ranges.some(([start, end]) => from < end && to > start);

/** Replaces every known `:name:` with its emoji, outside links and code. Unknown names stay as typed. */
export function replaceShortcodes(text: string): string {
  if (!text.includes(':')) return text;
  const ranges = literalRanges(text, false);
  return text.replace(SHORTCODE, (match: string, name: string, at: number) => {
    const emoji = BY_NAME.get(name);
    return emoji === undefined || inside(ranges, at, at + match.length) ? match : emoji;
  });
}

/**
 * As the user types: when the text just before `caret` is a known `:name:`
 * (its closing colon just typed) outside links and code, the text with it
 * replaced and where the caret goes; otherwise undefined.
 */
export function completeShortcode(text: string, caret: number): { text: string; caret: number } | undefined {
  const before = text.slice(0, caret);
  const match = /(?<![A-Za-z0-9]):([a-z0-9_+-]{1,40}):$/u.exec(before);
  const emoji = match?.[1] === undefined ? undefined : BY_NAME.get(match[1]);
  if (match === null || emoji === undefined) return undefined;
  const start = match.index;
  // A link or code span being typed is still open: look at the text up to the caret, open-ended.
  const ranges = literalRanges(before, true);
  if (inside(ranges, start, caret)) return undefined;
  // Part of a URL being typed ("https://host:8080:" or "mailto:x"): the word it sits in looks like one.
  const word = /\S*$/u.exec(before.slice(0, start))?.[0] ?? '';
  if (/^[a-z][a-z0-9+.-]*:/iu.test(word)) return undefined;
  return { text: before.slice(0, start) + emoji + text.slice(caret), caret: start + emoji.length };
}
