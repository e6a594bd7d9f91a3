// Deep links: every view and object has a URL of its own in the hash, e.g.
// #/executions?phase=RUNNING, #/executions/<id>, #/graph?focus=<artefact id>, #/capacity/default.

/** {view, id, params} from a location hash. */
export function parseRoute(hash) {
  const text = (hash || '').replace(/^#\/?/, '');
  const [path, query = ''] = text.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const params = Object.fromEntries(new URLSearchParams(query));
  return { view: parts[0] || 'executions', id: parts[1] || null, params };
}

/** The hash for a view, an optional id and parameters (empty ones left out). */
export function link(view, id = null, params = {}) {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '')).toString();
  return `#/${view}${id ? `/${encodeURIComponent(id)}` : ''}${query ? `?${query}` : ''}`;
}
