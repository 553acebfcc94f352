// The person's open modal: the top of their stack as a <dialog> named by its title, with labelled inputs, the bot's
// field errors (response_action: errors) on their fields, and submit/close buttons.

import { h } from "./dom.js";
import { renderBlocks } from "./blocks.js";
import { plainText } from "./mrkdwn.js";

export function stateValues(fields) {
  const values = {};
  for (const field of fields) {
    values[field.blockId] = values[field.blockId] || {};
    values[field.blockId][field.actionId] = field.read();
  }
  return values;
}

// What the person entered in `from` goes into the same controls (same id) of `to`: an updated view keeps its input.
function carryOver(from, to) {
  for (const control of to.querySelectorAll("input[id], select[id], textarea[id], .choices[id]")) {
    const old = from.querySelector(`#${CSS.escape(control.id)}`);
    if (!old || old.tagName !== control.tagName || old.type !== control.type) continue;
    if (control.tagName === "SELECT") {
      const chosen = new Set([...old.selectedOptions].map((o) => o.value));
      for (const option of control.options) option.selected = chosen.has(option.value);
    } else if (control.classList.contains("choices")) {
      const checked = new Set([...old.querySelectorAll("input:checked")].map((i) => i.value));
      for (const input of control.querySelectorAll("input")) input.checked = checked.has(input.value);
    } else {
      control.value = old.value;
    }
  }
}

export class Modal {
  constructor(host, api) {
    this.host = host;
    this.api = api; // {ctx(), post(path, body), refresh()}
    this.dialog = null;
    this.key = null;
    this.errors = {};
  }

  show(stack) {
    const view = stack[stack.length - 1];
    if (!view) { this.hide(); return; }
    const key = `${view.id}:${view.hash || ""}:${JSON.stringify(view.blocks).length}`;
    if (this.dialog && this.key === key) return;
    const sameView = this.view && this.view.id === view.id;
    if (!sameView) this.errors = {};
    this.render(view, sameView, stack.length);
    this.key = key;
  }

  hide() {
    if (this.dialog) { this.dialog.close(); this.dialog.remove(); }
    this.dialog = null;
    this.view = null;
    this.key = null;
  }

  render(view, keepInput, depth) {
    const previous = this.dialog;
    const focused = document.activeElement?.id;
    const fields = [];
    const ctx = { ...this.api.ctx(), fields, errors: this.errors, scope: "modal",
      act: (blockId, action) => this.api.post("/sandbox/action", { source: { view_id: view.id }, block_id: blockId,
        action_id: action.action_id, action, state: { values: stateValues(fields) } }) };
    const titleId = "modal-title";
    const status = h("p", { class: "modal-status", role: "status" });
    const form = h("form", { method: "dialog", onsubmit: (e) => { e.preventDefault(); this.submit(view, fields, status); } },
      h("div", { class: "modal-body" }, renderBlocks(view.blocks, ctx)),
      status,
      h("div", { class: "modal-foot" },
        h("button", { type: "button", class: "btn", onclick: () => this.close(view) }, plainText(view.close) || "Lukk"),
        view.submit ? h("button", { type: "submit", class: "btn primary" }, plainText(view.submit)) : null));
    const dialog = h("dialog", { class: "modal", "aria-labelledby": titleId, "data-view-id": view.id },
      h("h2", { id: titleId }, plainText(view.title), depth > 1 ? h("span", { class: "depth" }, ` (${depth})`) : null),
      form);
    dialog.addEventListener("cancel", (e) => { e.preventDefault(); this.close(view); });
    if (previous && keepInput) carryOver(previous, dialog);
    if (previous) { previous.close(); previous.remove(); }
    this.host.append(dialog);
    dialog.showModal();
    const again = focused && dialog.querySelector(`#${CSS.escape(focused)}`);
    if (again) again.focus();
    this.dialog = dialog;
    this.view = view;
  }

  async submit(view, fields, status) {
    status.textContent = "Sender …";
    const answer = await this.api.post("/sandbox/submit", { view_id: view.id, values: stateValues(fields) });
    if (!answer.ok) { status.textContent = `Feil: ${answer.error}`; status.classList.add("error"); return; }
    status.textContent = "";
    if (answer.errors && Object.keys(answer.errors).length) {
      this.errors = answer.errors;
      this.render(view, true, 1);
      this.key = null; // the next refresh re-reads the stack (the bot may also have updated the view)
      return;
    }
    this.errors = {};
    await this.api.refresh();
  }

  async close(view) {
    await this.api.post("/sandbox/close", { view_id: view.id });
    this.hide();
    await this.api.refresh();
  }
}
