// Block Kit blocks as DOM: one renderer per block type. A type this page does not know is shown as a visible
// placeholder, never dropped. ctx: {people, channels, personName, channelName, safeUrl, act, fields, errors, scope}.

import { h } from "./dom.js";
import { element } from "./elements.js";
import { emoji, plainText, textObject } from "./mrkdwn.js";

// An image from this page's own origin; one from anywhere else is not loaded (the page loads nothing from outside).
export function picture(url, alt, cls, ctx) {
  const safe = ctx.safeUrl(url);
  return safe ? h("img", { class: cls, src: safe, alt: alt || "" })
    : h("span", { class: `${cls} external`, role: "img", "aria-label": alt || "bilde" }, `[bilde: ${alt || url || ""}]`);
}

function header(block) {
  return h("h3", { class: "bk-header" }, plainText(block.text));
}

function section(block, ctx) {
  const out = h("div", { class: "bk-section" });
  const body = h("div", { class: "bk-section-body" });
  if (block.text) body.append(textObject(block.text, ctx));
  if (block.fields) body.append(h("div", { class: "bk-fields" }, block.fields.map((f) => h("div", {}, textObject(f, ctx)))));
  out.append(body);
  if (block.accessory) {
    const acc = block.accessory;
    out.append(h("div", { class: "bk-accessory" }, acc.type === "image"
      ? picture(acc.image_url, acc.alt_text, "accessory-image", ctx)
      : element(acc, ctx, { blockId: block.block_id })));
  }
  return out;
}

function context(block, ctx) {
  return h("div", { class: "bk-context" }, (block.elements || []).map((el) => (el.type === "image"
    ? picture(el.image_url, el.alt_text, "context-image", ctx)
    : h("span", {}, textObject(el, ctx)))));
}

function divider() {
  return h("hr", { class: "bk-divider" });
}

function image(block, ctx) {
  const url = block.image_url || block.slack_file?.url;
  return h("figure", { class: "bk-image" }, block.title ? h("figcaption", {}, plainText(block.title)) : null,
    picture(url, block.alt_text, "block-image", ctx));
}

function actions(block, ctx) {
  return h("div", { class: "bk-actions" }, (block.elements || []).map((el) => element(el, ctx, { blockId: block.block_id })));
}

function input(block, ctx) {
  const id = `${ctx.scope || "f"}-${block.block_id}`;
  const labelId = `${id}-label`;
  const error = ctx.errors?.[block.block_id];
  const el = block.element || {};
  const control = element(el, ctx, { blockId: block.block_id, id, register: true, dispatch: !!block.dispatch_action,
    name: plainText(block.label) });
  const labellable = ["INPUT", "SELECT", "TEXTAREA"].includes(control.tagName);
  if (!labellable) control.setAttribute("aria-labelledby", labelId);
  if (error) {
    control.setAttribute("aria-invalid", "true");
    control.setAttribute("aria-describedby", `${id}-error`);
  }
  return h("div", { class: `bk-input${error ? " has-error" : ""}`, "data-block-id": block.block_id },
    h("label", { id: labelId, for: labellable ? id : null, class: "bk-label" }, plainText(block.label)),
    block.optional ? h("span", { class: "optional" }, " (valgfritt)") : null,
    control,
    block.hint ? h("div", { class: "hint" }, plainText(block.hint)) : null,
    error ? h("div", { class: "field-error", id: `${id}-error` }, error) : null);
}

// rich_text: sections, lists, preformatted and quotes of styled inline elements.
function richInline(item, ctx) {
  let node;
  switch (item.type) {
    case "text": node = document.createTextNode(item.text || ""); break;
    case "link": node = h("a", { href: item.url, target: "_blank", rel: "noopener" }, item.text || item.url); break;
    case "user": node = h("span", { class: "mention" }, "@" + (ctx.personName(item.user_id) || item.user_id)); break;
    case "channel": node = h("span", { class: "mention" }, "#" + (ctx.channelName(item.channel_id) || item.channel_id)); break;
    case "usergroup": node = h("span", { class: "mention" }, "@" + item.usergroup_id); break;
    case "broadcast": node = h("span", { class: "mention" }, "@" + item.range); break;
    case "emoji": node = document.createTextNode(emoji(item.name)); break;
    case "date": node = document.createTextNode(item.fallback || String(item.timestamp)); break;
    default: node = h("span", { class: "unknown" }, `[${item.type}]`);
  }
  const style = item.style || {};
  if (style.code) node = h("code", {}, node);
  if (style.strike) node = h("s", {}, node);
  if (style.italic) node = h("i", {}, node);
  if (style.bold) node = h("b", {}, node);
  return node;
}

function richPart(part, ctx) {
  const inline = (part.elements || []).map((item) => richInline(item, ctx));
  switch (part.type) {
    case "rich_text_section": return h("div", { class: "rt-section" }, inline);
    case "rich_text_preformatted": return h("pre", {}, inline);
    case "rich_text_quote": return h("blockquote", {}, inline);
    case "rich_text_list": {
      const list = h(part.style === "ordered" ? "ol" : "ul", { class: `rt-list indent-${part.indent || 0}` });
      list.append(...(part.elements || []).map((item) => h("li", {}, richPart(item, ctx))));
      return list;
    }
    default: return unknown(part);
  }
}

function richText(block, ctx) {
  return h("div", { class: "bk-rich-text" }, (block.elements || []).map((part) => richPart(part, ctx)));
}

function unknown(block) {
  return h("div", { class: "bk-unknown", role: "note" }, `Ukjent blokktype: ${block.type}`);
}

export const RENDERERS = { header, section, context, divider, image, actions, input, rich_text: richText };

export function renderBlocks(blocks, ctx) {
  return h("div", { class: "blocks" }, (blocks || []).map((block) => (RENDERERS[block.type] || unknown)(block, ctx)));
}
