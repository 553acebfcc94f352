// The stand-in's page API (docs/sandbox.md): JSON reads and actions, and server-sent events when anything changes.

export async function get(path, params = {}) {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null));
  const response = await fetch(`${path}${query.size ? "?" + query : ""}`, { cache: "no-store" });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.json();
}

// POST an action; resolves to the answer ({ok, ...}); an HTTP error or ok: false is returned, not thrown.
export async function post(path, body) {
  try {
    const response = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body) });
    const answer = await response.json().catch(() => ({ ok: false, error: `HTTP ${response.status}` }));
    return response.ok ? answer : { ok: false, ...answer, error: answer.error || `HTTP ${response.status}` };
  } catch (error) {
    return { ok: false, error: String(error.message || error) };
  }
}

// Calls `onChange(version)` on every event; reconnects by itself (EventSource does).
export function watch(onChange) {
  const source = new EventSource("/sandbox/events");
  source.onmessage = (event) => {
    let version = null;
    try { version = JSON.parse(event.data).version; } catch { /* a bare ping */ }
    onChange(version);
  };
  return source;
}
