// Slack's mrkdwn as DOM nodes (never innerHTML): *bold*, _italic_, ~strike~, `code`, ```preformatted```, > quotes,
// <url|label>, <@U…> and <#C…> as names, <!here>-style specials as text, :emoji: (unknown ones stay `:name:`).

import { h } from "./dom.js";

// Every emoji the bot uses (grep bot/ for ':[a-z_]+:' and the reactions it reads or pre-adds), and common ones.
export const EMOJI = {
  white_check_mark: "✅", heavy_check_mark: "✔️", alarm_clock: "⏰", eyes: "👀", x: "❌", warning: "⚠️",
  "+1": "👍", thumbsup: "👍", "-1": "👎", thumbsdown: "👎", tada: "🎉", heart: "❤️", rocket: "🚀", fire: "🔥",
  smile: "😄", slightly_smiling_face: "🙂", pray: "🙏", raised_hands: "🙌", clap: "👏", muscle: "💪",
  thinking_face: "🤔", memo: "📝", pushpin: "📌", calendar: "📅", date: "📅", spiral_calendar_pad: "🗓️",
  hourglass: "⌛", hourglass_flowing_sand: "⏳", stopwatch: "⏱️", bar_chart: "📊", chart_with_upwards_trend: "📈",
  chart_with_downwards_trend: "📉", moneybag: "💰", bell: "🔔", no_entry: "⛔", no_entry_sign: "🚫",
  red_circle: "🔴", large_green_circle: "🟢", large_yellow_circle: "🟡", large_orange_circle: "🟠",
  white_circle: "⚪", black_circle: "⚫", information_source: "ℹ️", bulb: "💡", wave: "👋", star: "⭐",
  sparkles: "✨", zap: "⚡", construction: "🚧", checkered_flag: "🏁", dart: "🎯", clipboard: "📋",
  calling: "📲", email: "📧", link: "🔗", lock: "🔒", key: "🔑", gear: "⚙️", hammer_and_wrench: "🛠️",
  question: "❓", exclamation: "❗", heavy_plus_sign: "➕", arrow_right: "➡️", repeat: "🔁", sleeping: "😴",
};

export function emoji(name) {
  return EMOJI[name] || `:${name}:`;
}

function decode(text) {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

const SPECIALS = { here: "@here", channel: "@channel", everyone: "@everyone" };

// <…>: a link, a mention, a channel or a special command.
function angle(body, ctx) {
  const [target, label] = splitOnce(body, "|");
  if (target.startsWith("@")) {
    const id = target.slice(1);
    return h("span", { class: "mention" }, "@" + (ctx.personName?.(id) || label || id));
  }
  if (target.startsWith("#")) {
    const id = target.slice(1);
    return h("span", { class: "mention" }, "#" + (ctx.channelName?.(id) || label || id));
  }
  if (target.startsWith("!")) {
    const word = target.slice(1).split("^")[0];
    return h("span", { class: "mention" }, label ? decode(label) : SPECIALS[word] || "@" + word);
  }
  const url = decode(target);
  const safe = /^(https?:|mailto:|\/)/i.test(url);
  return safe ? h("a", { href: url, target: "_blank", rel: "noopener" }, decode(label || target))
    : h("span", {}, decode(label || target));
}

function splitOnce(text, sep) {
  const at = text.indexOf(sep);
  return at < 0 ? [text, ""] : [text.slice(0, at), text.slice(at + 1)];
}

const WORD = /[\p{L}\p{N}]/u;

// The first formatting token at or after `from`: [start, end, node-maker] or null.
const PATTERNS = [
  [/`([^`\n]+)`/y, (m) => h("code", {}, decode(m[1])), false],
  [/<([^<>\n]+)>/y, (m, ctx) => angle(m[1], ctx), false],
  [/\*(?=\S)([^*\n]*?\S|\S)\*/y, (m, ctx) => h("b", {}, ...inline(m[1], ctx)), true],
  [/_(?=\S)([^_\n]*?\S|\S)_/y, (m, ctx) => h("i", {}, ...inline(m[1], ctx)), true],
  [/~(?=\S)([^~\n]*?\S|\S)~/y, (m, ctx) => h("s", {}, ...inline(m[1], ctx)), true],
  [/:([a-z0-9_+'-]+):/y, (m) => (EMOJI[m[1]] ? h("span", { class: "emoji", title: `:${m[1]}:` }, EMOJI[m[1]]) : null), false],
];

// Inline mrkdwn on one run of text (no line structure): nodes.
export function inline(text, ctx = {}) {
  const out = [];
  let plain = "";
  let i = 0;
  while (i < text.length) {
    let matched = null;
    for (const [re, make, bounded] of PATTERNS) {
      if (bounded && i > 0 && WORD.test(text[i - 1])) continue;
      re.lastIndex = i;
      const m = re.exec(text);
      if (!m) continue;
      const after = text[i + m[0].length];
      if (bounded && after && WORD.test(after)) continue;
      const node = make(m, ctx);
      if (node) { matched = [m[0].length, node]; break; }
    }
    if (matched) {
      if (plain) out.push(document.createTextNode(decode(plain)));
      plain = "";
      out.push(matched[1]);
      i += matched[0];
    } else {
      plain += text[i];
      i += 1;
    }
  }
  if (plain) out.push(document.createTextNode(decode(plain)));
  return out;
}

// A whole mrkdwn text: preformatted fences, quoted lines, then inline formatting with line breaks kept.
export function mrkdwn(text, ctx = {}) {
  const root = h("div", { class: "mrkdwn" });
  String(text || "").split("```").forEach((part, index) => {
    if (index % 2 === 1) {
      root.append(h("pre", {}, decode(part.replace(/^\n/, ""))));
      return;
    }
    let quote = null;
    const lines = part.split("\n");
    lines.forEach((line, n) => {
      const quoted = /^(&gt;|>) ?/.exec(line);
      if (quoted) {
        if (!quote) { quote = h("blockquote", {}); root.append(quote); }
        if (quote.childNodes.length) quote.append(h("br"));
        quote.append(...inline(line.slice(quoted[0].length), ctx));
        return;
      }
      if (quote) { quote = null; if (line === "") return; }
      root.append(...inline(line, ctx));
      if (n < lines.length - 1) root.append(h("br"));
    });
  });
  return root;
}

// A text object (plain_text or mrkdwn) as nodes.
export function textObject(obj, ctx = {}) {
  if (!obj) return document.createTextNode("");
  if (typeof obj === "string") return document.createTextNode(obj);
  if (obj.type === "mrkdwn" && !obj.verbatim) return mrkdwn(obj.text, ctx);
  if (obj.type === "mrkdwn") return h("div", { class: "mrkdwn" }, obj.text);
  return h("span", { class: "plain" }, withEmoji(obj.text || ""));
}

// plain_text with emoji: true shows :codes: as emoji too.
export function withEmoji(text) {
  return String(text).replace(/:([a-z0-9_+'-]+):/g, (all, name) => EMOJI[name] || all);
}

// The plain words of a text object (for labels and option text).
export function plainText(obj) {
  if (!obj) return "";
  if (typeof obj === "string") return obj;
  return obj.type === "mrkdwn" ? decode(obj.text || "") : withEmoji(obj.text || "");
}
