// Sign in: the development login (local suites only: the broker signs a token for any name with
// the key of deploy/local/token.sh), or a token pasted from the identity provider.
import { devLogin, session, settingsNow } from '../api.js';
import { h, showProblem } from '../dom.js';
import { link } from '../route.js';

export async function render(main) {
  const box = h('section', { class: 'login' });
  main.append(h('h1', {}, 'Sign in'), box);
  if (settingsNow().devLogin) {
    const form = h('form', { class: 'dev-login', onsubmit: async (e) => {
      e.preventDefault();
      const data = new FormData(form);
      try {
        await devLogin(data.get('user'), data.get('admin') === 'on');
        location.hash = link('executions');
      } catch (error) {
        showProblem(box, error);
      }
    } },
    h('p', { class: 'local-only' }, h('strong', {}, 'Development login: local only.'), ' Anyone on this machine may sign in as anybody; a deployment leaves it off.'),
    h('label', {}, 'User ', h('input', { name: 'user', required: true, autocomplete: 'username', placeholder: 'alice' })),
    h('label', {}, h('input', { name: 'admin', type: 'checkbox' }), ' administrator'),
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'));
    box.append(form);
  }
  const pasted = h('form', { class: 'paste', onsubmit: (e) => {
    e.preventDefault();
    session.token = new FormData(pasted).get('token').trim();
    location.hash = link('executions');
  } },
  h('label', {}, 'Or paste a bearer token from your identity provider', h('textarea', { name: 'token', rows: 3, cols: 60, required: true })),
  h('button', { type: 'submit' }, 'Use this token'));
  box.append(pasted);
}
