// The login page: name and password, posted to POST /login (src/http/auth.ts), which sends the
// browser back here with the reason when it refuses; while nobody can log in yet, how to create the
// first admin.
import { html, type Html } from './html.js';

export function loginContent(state: { error?: string | undefined; noUsers: string | undefined }): Html {
  return html`<h1>Log in</h1>
${state.noUsers ? html`<section class="box problem" role="alert"><p>${state.noUsers}</p></section>` : ''}
${state.error ? html`<section class="box problem" role="alert"><p>${state.error}</p></section>` : ''}
<form class="box" method="post" action="/login" style="max-width:22rem">
  <p><label>Name<br><input name="username" autocomplete="username" required autofocus></label></p>
  <p><label>Password<br><input name="password" type="password" autocomplete="current-password" required></label></p>
  <p><button type="submit">Log in</button></p>
</form>`;
}
