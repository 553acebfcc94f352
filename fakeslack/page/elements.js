// Block Kit elements as form controls. element(el, ctx, where) returns a node; a control in an input block registers
// how to read its state value (state.values[block_id][action_id]) in ctx.fields, and one in an actions block, a
// section accessory or a dispatch_action input calls ctx.act(block_id, action) when it changes.

import { h, uid } from "./dom.js";
import { plainText, textObject } from "./mrkdwn.js";

function options(el) {
  if (el.option_groups) return el.option_groups.flatMap((g) => g.options || []);
  return el.options || [];
}

function optionKey(option) {
  return option ? String(option.value) : "";
}

function clean(option) {
  return option ? { text: option.text, value: option.value } : null;
}

// A select of choices: [{value, label, group?}], `multiple` or not, initial value(s), an accessible name.
function selectControl(choices, { multiple, initial, name, id, placeholder }) {
  const select = h("select", { id, multiple, "aria-label": id ? null : name });
  if (!multiple) select.append(h("option", { value: "" }, placeholder || "Velg …"));
  const groups = new Map();
  for (const choice of choices) {
    let parent = select;
    if (choice.group) {
      if (!groups.has(choice.group)) groups.set(choice.group, select.appendChild(h("optgroup", { label: choice.group })));
      parent = groups.get(choice.group);
    }
    const chosen = multiple ? (initial || []).includes(choice.value) : initial === choice.value;
    parent.append(h("option", { value: choice.value, selected: chosen }, choice.label));
  }
  return select;
}

function chosenValues(select) {
  return [...select.selectedOptions].map((o) => o.value).filter((v) => v !== "");
}

function staticChoices(el) {
  if (el.option_groups) {
    return el.option_groups.flatMap((g) => (g.options || []).map((o) => ({ value: optionKey(o), label: plainText(o.text), group: plainText(g.label) })));
  }
  return options(el).map((o) => ({ value: optionKey(o), label: plainText(o.text) }));
}

const SELECTS = {
  static_select: {
    choices: staticChoices, initial: (el) => optionKey(el.initial_option),
    state: (el, [v]) => ({ selected_option: clean(options(el).find((o) => optionKey(o) === v)) }),
  },
  multi_static_select: {
    multiple: true, choices: staticChoices, initial: (el) => (el.initial_options || []).map(optionKey),
    state: (el, vs) => ({ selected_options: options(el).filter((o) => vs.includes(optionKey(o))).map(clean) }),
  },
  users_select: {
    choices: (el, ctx) => ctx.people.map((p) => ({ value: p.id, label: p.real_name || p.name })),
    initial: (el) => el.initial_user || "", state: (el, [v]) => ({ selected_user: v || null }),
  },
  multi_users_select: {
    multiple: true, choices: (el, ctx) => ctx.people.map((p) => ({ value: p.id, label: p.real_name || p.name })),
    initial: (el) => el.initial_users || [], state: (el, vs) => ({ selected_users: vs }),
  },
  conversations_select: {
    choices: (el, ctx) => ctx.channels.map((c) => ({ value: c.id, label: "#" + c.name })),
    initial: (el) => el.initial_conversation || "", state: (el, [v]) => ({ selected_conversation: v || null }),
  },
  multi_conversations_select: {
    multiple: true, choices: (el, ctx) => ctx.channels.map((c) => ({ value: c.id, label: "#" + c.name })),
    initial: (el) => el.initial_conversations || [], state: (el, vs) => ({ selected_conversations: vs }),
  },
  channels_select: {
    choices: (el, ctx) => ctx.channels.map((c) => ({ value: c.id, label: "#" + c.name })),
    initial: (el) => el.initial_channel || "", state: (el, [v]) => ({ selected_channel: v || null }),
  },
};

// Text-like inputs: [tag attributes, value attribute in the state].
function textInput(el, id, name) {
  const common = { id, "aria-label": id ? null : name, placeholder: plainText(el.placeholder) || null };
  switch (el.type) {
    case "plain_text_input": {
      const attrs = { ...common, maxlength: el.max_length || null, minlength: el.min_length || null };
      const input = el.multiline ? h("textarea", { ...attrs, rows: 3 }) : h("input", { ...attrs, type: "text" });
      input.value = el.initial_value || "";
      return [input, (v) => ({ value: v === "" ? null : v })];
    }
    case "number_input": {
      const input = h("input", { ...common, type: "number", step: el.is_decimal_allowed ? "any" : "1",
        min: el.min_value ?? null, max: el.max_value ?? null });
      input.value = el.initial_value || "";
      return [input, (v) => ({ value: v === "" ? null : v })];
    }
    case "datepicker": {
      const input = h("input", { ...common, type: "date" });
      input.value = el.initial_date || "";
      return [input, (v) => ({ selected_date: v || null })];
    }
    case "timepicker": {
      const input = h("input", { ...common, type: "time" });
      input.value = el.initial_time || "";
      return [input, (v) => ({ selected_time: v || null })];
    }
    case "email_text_input": case "url_text_input": {
      const input = h("input", { ...common, type: el.type === "email_text_input" ? "email" : "url" });
      input.value = el.initial_value || "";
      return [input, (v) => ({ value: v || null })];
    }
    default:
      return null;
  }
}

// Checkboxes and radio buttons: a group of labelled inputs.
function choiceGroup(el, ctx, where) {
  const multiple = el.type === "checkboxes";
  const group = where.id ? h("div", { class: "choices", id: where.id, role: "group" })
    : h("div", { class: "choices", role: multiple ? "group" : "radiogroup", "aria-label": where.name });
  const name = uid("choice");
  const initial = multiple ? (el.initial_options || []).map(optionKey) : [optionKey(el.initial_option)];
  const inputs = (el.options || []).map((o) => {
    const input = h("input", { type: multiple ? "checkbox" : "radio", name, value: optionKey(o),
      checked: initial.includes(optionKey(o)) });
    group.append(h("label", { class: "choice" }, input, " ", textObject(o.text, ctx),
      o.description ? h("small", {}, plainText(o.description)) : null));
    return input;
  });
  const read = () => {
    const chosen = (el.options || []).filter((o, i) => inputs[i].checked).map(clean);
    return multiple ? { selected_options: chosen } : { selected_option: chosen[0] || null };
  };
  return [group, read, inputs];
}

// `where`: {blockId, id (a labelled control in an input block), name (an accessible name otherwise),
// dispatch (send block_actions on change), register (read in the state)}.
export function element(el, ctx, where = {}) {
  const { blockId } = where;
  const name = where.name || plainText(el.placeholder) || plainText(el.text) || el.type;
  const send = (fields) => ctx.act(blockId, { type: el.type, action_id: el.action_id, block_id: blockId, ...fields });
  const register = (read) => where.register && ctx.fields.push({ blockId, actionId: el.action_id, type: el.type, read });
  if (el.type === "button") {
    const button = h("button", { type: "button", class: `btn ${el.style || ""}`.trim(), id: where.id || null,
      onclick: async () => {
        if (el.confirm && !(await confirmed(el.confirm))) return;  // Slack asks first and sends nothing on "no"
        if (el.url) window.open(el.url, "_blank", "noopener");
        send({ value: el.value, text: el.text });
      } }, plainText(el.text));
    return button;
  }
  if (el.type === "overflow") return overflow(el, send);
  if (el.type === "image") return ctx.picture(el.image_url, el.alt_text, "inline-image");
  if (SELECTS[el.type]) {
    const kind = SELECTS[el.type];
    const select = selectControl(kind.choices(el, ctx), { multiple: kind.multiple, initial: kind.initial(el),
      name, id: where.id, placeholder: plainText(el.placeholder) });
    const read = () => ({ type: el.type, ...kind.state(el, chosenValues(select)) });
    register(read);
    if (where.dispatch !== false) select.addEventListener("change", () => send(read()));
    return select;
  }
  if (el.type === "checkboxes" || el.type === "radio_buttons") {
    const [group, read] = choiceGroup(el, ctx, { ...where, name });
    register(() => ({ type: el.type, ...read() }));
    if (where.dispatch !== false) group.addEventListener("change", () => send(read()));
    return group;
  }
  const text = textInput(el, where.id, name);
  if (text) {
    const [input, state] = text;
    const read = () => ({ type: el.type, ...state(input.value) });
    register(read);
    if (where.dispatch !== false) {
      const onChar = (el.dispatch_action_config?.trigger_actions_on || []).includes("on_character_entered");
      if (el.type !== "plain_text_input" && el.type !== "number_input") input.addEventListener("change", () => send(read()));
      else if (onChar) input.addEventListener("input", () => send(read()));
      else input.addEventListener("keydown", (e) => { if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); send(read()); } });
    }
    return input;
  }
  return h("span", { class: "unknown", role: "note" }, `[ukjent element: ${el.type}]`);
}

function overflow(el, send) {
  const menu = h("div", { class: "menu", role: "menu", hidden: true });
  const toggle = h("button", { type: "button", class: "btn overflow", "aria-label": "Flere valg", "aria-haspopup": "menu",
    onclick: () => { menu.hidden = !menu.hidden; } }, "⋯");
  for (const o of el.options || []) {
    menu.append(h("button", { type: "button", role: "menuitem", onclick: () => {
      menu.hidden = true;
      if (o.url) window.open(o.url, "_blank", "noopener");
      send({ selected_option: clean(o) });
    } }, plainText(o.text)));
  }
  return h("span", { class: "overflow-wrap" }, toggle, menu);
}

// A Block Kit confirmation object as Slack shows it: a dialog with its title, text and two buttons; true on confirm.
function confirmed(confirm) {
  return new Promise((resolve) => {
    const titleId = uid("confirm");
    const done = (yes) => { dialog.close(); dialog.remove(); resolve(yes); };
    const dialog = h("dialog", { class: "modal confirm", "aria-labelledby": titleId },
      h("h2", { id: titleId }, plainText(confirm.title) || "Er du sikker?"),
      h("p", {}, plainText(confirm.text)),
      h("div", { class: "actions" },
        h("button", { type: "button", class: "btn", onclick: () => done(false) }, plainText(confirm.deny) || "Avbryt"),
        h("button", { type: "button", class: `btn ${confirm.style || "primary"}`, onclick: () => done(true) },
          plainText(confirm.confirm) || "Ja")));
    dialog.addEventListener("cancel", (e) => { e.preventDefault(); done(false); });
    document.body.append(dialog);
    dialog.showModal();
  });
}
