// A small DOM helper and the ways the dashboard shows times, sizes and errors.

/** h('a', {href: '#'}, 'text', child): an element with attributes (on* are listeners) and children. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = value;
    else element.setAttribute(name, value === true ? '' : value);
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

const SVG = 'http://www.w3.org/2000/svg';

/** An SVG element with attributes and children. */
export function s(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null) element.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** An error as the service gave it: its title and problem+json detail, in an alert region. */
export function problemBox(error) {
  const problem = error.problem || {};
  return h('div', { class: 'problem', role: 'alert' },
    h('strong', {}, problem.title || 'Something went wrong'),
    h('p', {}, problem.detail || error.message),
    problem.type ? h('code', {}, problem.type) : null);
}

/** Shows `error` at the top of `container`, replacing an earlier one. */
export function showProblem(container, error) {
  container.querySelector(':scope > .problem')?.remove();
  container.prepend(problemBox(error));
}

export function when(iso) {
  if (!iso) return '';
  const t = typeof iso === 'number' ? new Date(iso) : new Date(iso);
  return t.toISOString().replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, 'Z');
}

export function bytes(n) {
  if (n === null || n === undefined) return '';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) { v /= 1000; i++; }
  return `${v.toFixed(v < 10 && i > 0 ? 1 : 0)} ${units[i]}`;
}

export function phaseBadge(phase) {
  return h('span', { class: `phase phase-${(phase || '').toLowerCase()}` }, phase);
}
