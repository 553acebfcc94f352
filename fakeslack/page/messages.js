// Messages: each an <article> with its author, time, blocks (or mrkdwn text), files, reactions, thread link and menu.
// A message Slack would have rejected shows the error in red where it would have appeared.

import { h } from "./dom.js";
import { renderBlocks } from "./blocks.js";
import { emoji, mrkdwn } from "./mrkdwn.js";

// The message shortcuts of the app (manifest.yml: shortcuts of type message).
export const SHORTCUTS = [{ name: "Logg som fremdrift", callback_id: "log_message" }];
export const PICKER = ["white_check_mark", "eyes", "alarm_clock", "+1", "tada", "heart", "rocket", "x"];

function when(ts, zone) {
  const date = new Date(Number(ts) * 1000);
  return new Intl.DateTimeFormat("nb-NO", { timeZone: zone, weekday: "short", day: "numeric", month: "short",
    hour: "2-digit", minute: "2-digit" }).format(date);
}

function rejected(message) {
  const problem = message.rejected;
  return h("div", { class: "rejected", role: "alert" },
    h("strong", {}, `Slack ville ha avvist denne meldingen: ${problem.error}`),
    (problem.messages || []).length ? h("ul", {}, problem.messages.map((m) => h("li", {}, m))) : null,
    message.text ? h("div", { class: "rejected-text" }, message.text) : null);
}

function files(message, ctx) {
  if (!(message.files || []).length) return null;
  return h("div", { class: "files" }, message.files.map((file) => {
    const url = ctx.safeUrl(file.url);
    const title = file.title || file.name;
    if (url && String(file.mimetype || "").startsWith("image/")) {
      return h("figure", { class: "file-image" }, h("img", { src: url, alt: title }),
        h("figcaption", {}, h("a", { href: url, download: file.name }, title)));
    }
    return h("a", { class: "file", href: url, download: file.name }, `📎 ${title}`);
  }));
}

function reactions(message, ctx) {
  const me = ctx.user;
  const pills = (message.reactions || []).map((r) => {
    const mine = (r.users || []).includes(me);
    const who = (r.users || []).map((u) => ctx.personName(u) || u).join(", ");
    return h("button", { type: "button", class: `pill${mine ? " mine" : ""}`, "aria-label": r.name,
      "aria-pressed": String(mine), title: `:${r.name}: ${who}`,
      onclick: () => ctx.react(message, r.name, !mine) }, `${emoji(r.name)} ${r.count}`);
  });
  const picker = h("div", { class: "picker", role: "menu", "aria-label": "Velg reaksjon", hidden: true },
    PICKER.map((name) => h("button", { type: "button", role: "menuitem", "aria-label": `Reager med ${name}`,
      title: `:${name}:`, onclick: () => { picker.hidden = true; ctx.react(message, name, true); } }, emoji(name))));
  const add = h("button", { type: "button", class: "pill add", "aria-label": "Legg til reaksjon", "aria-haspopup": "menu",
    onclick: () => { picker.hidden = !picker.hidden; } }, "☺+");
  return h("div", { class: "reactions", role: "group", "aria-label": "Reaksjoner" }, pills, add, picker);
}

function menu(message, ctx) {
  const list = h("div", { class: "menu", role: "menu", "aria-label": "Meldingshandlinger", hidden: true },
    SHORTCUTS.map((s) => h("button", { type: "button", role: "menuitem",
      onclick: () => { list.hidden = true; ctx.shortcut(message, s.callback_id); } }, s.name)),
    message.thread_ts && message.thread_ts !== message.ts ? null
      : h("button", { type: "button", role: "menuitem", onclick: () => { list.hidden = true; ctx.openThread(message); } },
        "Svar i tråd"));
  const toggle = h("button", { type: "button", class: "menu-toggle", "aria-label": "Flere handlinger",
    "aria-haspopup": "menu", onclick: () => { list.hidden = !list.hidden; } }, "⋮");
  return h("div", { class: "msg-menu" }, toggle, list);
}

export function renderMessage(message, ctx) {
  const author = message.is_bot ? ctx.botName : ctx.personName(message.user) || message.user || "?";
  const msgCtx = { ...ctx, fields: [], errors: {}, scope: `m${String(message.ts).replace(".", "")}` };
  msgCtx.act = (blockId, action) => ctx.action({ channel: message.channel, ts: message.ts }, blockId, action, msgCtx.fields);
  let body;
  if (message.rejected) body = rejected(message);
  else if ((message.blocks || []).length) body = renderBlocks(message.blocks, msgCtx);
  else body = mrkdwn(message.text, ctx);
  const isReply = message.thread_ts && message.thread_ts !== message.ts;
  const inert = message.ephemeral || message.rejected; // nothing to react to or act on: Slack never showed it
  return h("article", { class: `msg${message.ephemeral ? " ephemeral" : ""}${message.rejected ? " is-rejected" : ""}`,
    "data-ts": message.ts, "aria-label": `${author}, ${when(message.ts, ctx.zone)}` },
  h("div", { class: "avatar", "aria-hidden": "true" }, author.slice(0, 1).toUpperCase()),
  h("div", { class: "msg-main" },
    h("div", { class: "msg-head" }, h("strong", {}, author), message.is_bot ? h("span", { class: "app" }, "APP") : null,
      h("time", {}, when(message.ts, ctx.zone)), message.edited ? h("span", { class: "edited" }, "(redigert)") : null,
      message.ephemeral ? h("span", { class: "only-you" }, "Bare synlig for deg") : null),
    body,
    files(message, ctx),
    inert ? null : reactions(message, ctx),
    !isReply && !ctx.inThread && message.reply_count ? h("button", { type: "button", class: "replies", onclick: () => ctx.openThread(message) },
      `${message.reply_count} svar – åpne tråden`) : null),
  inert ? null : menu(message, ctx));
}

// Puts `messages` into `list`, re-rendering only the ones that changed (so open menus and scroll stay put). A list
// shown for a new `source` (another channel or thread) starts at its newest message, as does one scrolled to the end.
export function renderList(list, messages, ctx, source) {
  const atBottom = list.dataset.source !== source || list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  list.dataset.source = source;
  const old = new Map([...list.children].map((node) => [node.dataset.key, node]));
  const signature = JSON.stringify([ctx.user, ctx.people.length, ctx.channels.length]);
  const nodes = messages.map((message) => {
    const key = message.ts + (message.ephemeral ? "e" : "");
    const sig = signature + JSON.stringify(message);
    const existing = old.get(key);
    if (existing && existing.dataset.sig === sig) return existing;
    const node = renderMessage(message, ctx);
    node.dataset.key = key;
    node.dataset.sig = sig;
    return node;
  });
  nodes.forEach((node, i) => {
    if (list.children[i] !== node) list.insertBefore(node, list.children[i] || null);
  });
  while (list.children.length > nodes.length) list.lastElementChild.remove();
  if (!messages.length) list.append(h("p", { class: "empty", "data-key": "" }, "Ingen meldinger ennå."));
  if (atBottom) list.scrollTop = list.scrollHeight;
}
