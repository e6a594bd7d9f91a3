// The services' REST APIs with the signed-in user's bearer token; failures become ApiError with
// the problem+json detail the service gave.

const TOKEN_KEY = 'orrery.token';

export class ApiError extends Error {
  constructor(status, problem, url) {
    super(problem.detail || problem.title || `${url} answered ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export const session = {
  get token() { return sessionStorage.getItem(TOKEN_KEY); },
  set token(value) { value ? sessionStorage.setItem(TOKEN_KEY, value) : sessionStorage.removeItem(TOKEN_KEY); },
  /** The token's claims (not verified here: the services verify every request). */
  get claims() {
    const token = this.token;
    if (!token) return null;
    try {
      const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      return JSON.parse(atob(payload.padEnd(payload.length + ((4 - (payload.length % 4)) % 4), '=')));
    } catch {
      return null;
    }
  },
  get user() { const c = this.claims; return c ? c.upn || c.preferred_username || c.sub : null; },
  get admin() { const c = this.claims; return !!(c && Array.isArray(c.groups) && c.groups.includes('admin')); },
};

let settings = { services: {}, devLogin: false, simulated: false };

export async function loadSettings() {
  const response = await fetch('/api/v1/dashboard/config');
  settings = await response.json();
  return settings;
}

export function settingsNow() {
  return settings;
}

/** The base URL of a service by name (broker: this page's own origin). */
export function base(service) {
  if (service === 'broker') return '';
  const url = settings.services[service];
  if (!url) throw new ApiError(503, { title: 'Not configured', detail: `the dashboard has no URL for the ${service} (orrery.dashboard.services)` }, service);
  return url.replace(/\/$/, '');
}

/** A JSON call; text when `as` is 'text' (with the response headers). */
export async function call(service, path, { method = 'GET', body, as = 'json' } = {}) {
  const url = base(service) + path;
  const headers = { Accept: as === 'json' ? 'application/json' : 'text/plain' };
  if (session.token) headers.Authorization = `Bearer ${session.token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (error) {
    throw new ApiError(0, { title: 'Unreachable', detail: `${url} did not answer (${error.message})` }, url);
  }
  if (!response.ok) {
    let problem = { title: `${response.status} ${response.statusText}` };
    try { problem = await response.json(); } catch { /* not JSON */ }
    throw new ApiError(response.status, problem, url);
  }
  if (as === 'text') return { text: await response.text(), headers: response.headers };
  return response.status === 204 ? null : response.json();
}

export async function devLogin(user, admin) {
  const issued = await call('broker', '/api/v1/dashboard/dev-login', { method: 'POST', body: { user, admin } });
  session.token = issued.token;
  return issued;
}
