// The sandbox window: channels, App Home, messages, threads, the composer, the people switcher, the time bar and the
// person's modal. Everything shown is re-read from the stand-in when its server-sent events say something changed.

import { get, post, watch } from "./api.js";
import { picture, renderBlocks } from "./blocks.js";
import { h } from "./dom.js";
import { renderList } from "./messages.js";
import { Modal, stateValues } from "./modal.js";

const $ = (id) => document.getElementById(id);
let state = { people: [], channels: [], bot: {}, zone: "Europe/Oslo", now: null };
let user = localStorage.getItem("sandbox.user");
let thread = null; // {channel, ts}
let homeKey = null;

// Where the person is: App Home, their direct messages with the bot (the channel D + their id without its U), or a
// channel (the first one to begin with).
function route() {
  const [, kind, id] = location.hash.split("/");
  if (kind === "hjem") return { kind: "home" };
  if (kind === "dm") return { kind: "channel", dm: true, id: user ? `D${user.slice(1)}` : null };
  return { kind: "channel", id: id || state.channels[0]?.id };
}

function say(text, error = false) {
  $("status").textContent = text;
  $("status").classList.toggle("error", error);
}

// POST an action as the current person; a refusal is shown, then everything is re-read.
async function act(path, body) {
  const answer = await post(path, { user, ...body });
  if (!answer.ok) say(`Feil: ${answer.error}`, true);
  await refresh();
  return answer;
}

function safeUrl(url) {
  if (!url) return null;
  try {
    const parsed = new URL(url, location.href);
    return parsed.origin === location.origin ? parsed.href : null;
  } catch { return null; }
}

function ctx() {
  const people = new Map(state.people.map((p) => [p.id, p]));
  const channels = new Map(state.channels.map((c) => [c.id, c]));
  const base = {
    user, people: state.people, channels: state.channels, zone: state.zone, botName: state.bot.name || "Prosjektbot",
    personName: (id) => (id === state.bot.user_id ? state.bot.name : people.get(id)?.real_name || people.get(id)?.name),
    channelName: (id) => channels.get(id)?.name,
    safeUrl,
    action: (source, blockId, action, fields) => act("/sandbox/action", { source, block_id: blockId,
      action_id: action.action_id, action, state: { values: stateValues(fields) } }),
    react: (message, name, add) => act("/sandbox/react", { channel: message.channel, ts: message.ts, name, add }),
    shortcut: (message, callbackId) => act("/sandbox/shortcut", { channel: message.channel, ts: message.ts,
      callback_id: callbackId }),
    openThread: (message) => { thread = { channel: message.channel, ts: message.ts }; refresh(); },
  };
  base.picture = (url, alt, cls) => picture(url, alt, cls, base);
  return base;
}

const modal = new Modal($("modals"), { ctx, post: (path, body) => post(path, { user, ...body }), refresh: () => refresh() });

// -- the frame: people, channels, time ------------------------------------------------------------------------------
function role(person) {
  const parts = person.title ? [person.title] : [];
  if (person.is_admin && !/admin/i.test(person.title || "")) parts.push("admin");
  return parts.length ? ` (${parts.join(", ")})` : "";
}

function renderPeople() {
  if (!state.people.some((p) => p.id === user)) user = state.people[0]?.id || null;
  const select = $("who");
  const wanted = state.people.map((p) => [p.id, (p.real_name || p.name) + role(p)]);
  const have = [...select.options].map((o) => [o.value, o.textContent]);
  if (JSON.stringify(wanted) !== JSON.stringify(have)) {
    select.replaceChildren(...wanted.map(([id, label]) => h("option", { value: id }, label)));
  }
  select.value = user || "";
}

function renderChannels(current) {
  $("channels").replaceChildren(...state.channels.map((c) => h("li", {},
    h("a", { href: `#/c/${c.id}`, class: "nav-item", "aria-current": current.id === c.id && current.kind === "channel" ? "page" : null },
      `#${c.name}`))));
  $("home-link").setAttribute("aria-current", current.kind === "home" ? "page" : "false");
  $("dm-link").setAttribute("aria-current", current.dm ? "page" : "false");
  $("dm-link").textContent = state.bot.name || "Prosjektbot";
  $("team").textContent = state.team?.name || "Sandkasse";
}

function formatNow(iso) {
  return new Intl.DateTimeFormat("nb-NO", { timeZone: state.zone, weekday: "long", day: "numeric", month: "long",
    year: "numeric", hour: "2-digit", minute: "2-digit" }).format(new Date(iso));
}

function renderTime() {
  const noClock = !state.now;
  $("now").textContent = noClock ? "Nå: (ingen klokke)" : `Nå: ${formatNow(state.now)}`;
  for (const button of document.querySelectorAll(".time button")) button.disabled = noClock;
  $("moment").disabled = noClock;
}

// The zone's UTC offset (minutes) at an instant.
function offsetAt(date, zone) {
  const name = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" })
    .formatToParts(date).find((p) => p.type === "timeZoneName").value;
  const m = /GMT([+-])(\d\d):(\d\d)/.exec(name);
  return m ? (m[1] === "+" ? 1 : -1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

// "2026-12-01T09:00" in the sandbox's zone as ISO-8601 with its offset.
function withOffset(local, zone) {
  const asUtc = new Date(`${local}Z`);
  const offset = offsetAt(new Date(asUtc.getTime() - offsetAt(asUtc, zone) * 60000), zone);
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  const pad = (n) => String(n).padStart(2, "0");
  return `${local.length === 16 ? `${local}:00` : local}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

async function moveTime(to) {
  say("Flytter tiden …");
  const answer = await act("/sandbox/time", { to });
  if (answer.ok) say(`Tiden er nå ${formatNow(answer.now)}.`);
}

// -- what is shown: a channel or App Home, a thread, the modal ------------------------------------------------------
function renderHome(view) {
  $("title").textContent = `Hjem – ${state.bot.name || "Prosjektbot"}`;
  const fields = [];
  const c = { ...ctx(), fields, errors: {}, scope: "home" };
  c.act = (blockId, action) => c.action({ home: true }, blockId, action, fields);
  const sig = JSON.stringify([user, state.people.length, view]);
  if ($("home").dataset.sig !== sig) {
    $("home").replaceChildren(view ? renderBlocks(view.blocks, c) : h("p", { class: "empty" }, "Ingen Hjem-side ennå."));
    $("home").dataset.sig = sig;
  }
}

function renderChannel(current, messages) {
  const channel = current.dm ? { id: current.id, name: state.bot.name || "Prosjektbot" }
    : state.channels.find((c) => c.id === current.id);
  const name = channel && (current.dm ? channel.name : `#${channel.name}`);
  $("title").textContent = name || "Ingen kanal";
  $("message").setAttribute("placeholder", name ? `Skriv til ${name}, eller /prosjekt hjelp` : "");
  if (channel && messages) renderList($("messages"), messages, ctx(), channel.id);
}

function renderThread(messages) {
  $("thread").hidden = !thread || !messages;
  if (thread && messages) {
    renderList($("thread-messages"), messages, { ...ctx(), inThread: true }, `${thread.channel}/${thread.ts}`);
  }
}

// Everything shown, read at once (the state first only when it is needed to know who and where).
async function readAll() {
  if (!user || (route().kind === "channel" && !route().id)) {
    state = await get("/sandbox/state");
    renderPeople();
  }
  const current = route();
  const home = current.kind === "home";
  if (home && homeKey !== user) { homeKey = user; await post("/sandbox/home", { user }); }
  if (!home) homeKey = null;
  const [fresh, main, threadRead, modalRead] = await Promise.all([
    get("/sandbox/state"),
    home ? get("/sandbox/home", { user }) : current.id && get("/sandbox/messages", { channel: current.id, user }),
    thread && get("/sandbox/thread", { channel: thread.channel, ts: thread.ts, user }).catch(() => null),
    get("/sandbox/modal", { user }),
  ]);
  return { fresh, current, home, main, threadRead, modalRead };
}

let busy = null;
let again = false;

// Re-read everything shown (one read at a time; a change during a read reads again once it ends).
export async function refresh() {
  if (busy) { again = true; return busy; }
  busy = (async () => {
    do {
      again = false;
      try {
        const { fresh, current, home, main, threadRead, modalRead } = await readAll();
        state = fresh;
        renderPeople();
        renderChannels(current);
        renderTime();
        $("home").hidden = !home;
        $("messages").hidden = home;
        $("composer").hidden = home;
        if (home) renderHome(main?.view);
        else renderChannel(current, main?.messages);
        renderThread(threadRead?.messages);
        modal.show(modalRead.stack || []);
        document.body.dataset.version = String(state.version ?? "");
      } catch (error) {
        say(`Kunne ikke lese sandkassen: ${error.message}`, true);
      }
    } while (again);
    busy = null;
  })();
  return busy;
}

// -- controls -------------------------------------------------------------------------------------------------------
async function send(text, threadTs) {
  const channel = thread && threadTs ? thread.channel : route().id;
  const command = /^\/prosjekt(\s|$)/.exec(text);
  say("");
  if (command) return act("/sandbox/command", { channel, text: text.slice(command[0].length).trim() });
  return act("/sandbox/message", { channel, text, thread_ts: threadTs || undefined });
}

function composer(form, textarea, threadTs) {
  const submit = async () => {
    const text = textarea.value.trim();
    if (!text) return;
    textarea.value = "";
    await send(text, threadTs());
  };
  form.addEventListener("submit", (e) => { e.preventDefault(); submit(); });
  textarea.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); submit(); }
  });
}

composer($("composer"), $("message"), () => null);
composer($("reply"), $("reply-text"), () => thread?.ts);
$("thread-close").addEventListener("click", () => { thread = null; refresh(); });
$("who").addEventListener("change", (e) => {
  user = e.target.value;
  localStorage.setItem("sandbox.user", user);
  homeKey = null;
  refresh();
});
for (const button of document.querySelectorAll(".time button[data-to]")) {
  button.addEventListener("click", () => moveTime(button.dataset.to));
}
$("go").addEventListener("click", () => {
  const local = $("moment").value;
  if (!local) { say("Velg dato og klokkeslett først.", true); return; }
  moveTime(withOffset(local, state.zone));
});
window.addEventListener("hashchange", () => { thread = null; say(""); refresh(); });
document.addEventListener("click", (e) => { // a click outside an open menu closes it
  for (const menu of document.querySelectorAll(".menu:not([hidden]), .picker:not([hidden])")) {
    if (!menu.parentElement.contains(e.target)) menu.hidden = true;
  }
});

let seen = -1;
watch((version) => {
  if (version !== null && version === seen) return;
  seen = version ?? seen;
  refresh();
});
refresh();
