// The frame of every console page: the navigation, who is logged in, the content. One small style
// sheet inline (no build step, no request for it); it reads on a laptop and stacks on a phone.
import type { FastifyReply } from 'fastify';
import { html, trusted, type Html } from './html.js';

/** Who looks at the page, as the access layer knows them. */
export interface PageViewer {
  username: string;
  role: string;
  /** The session's CSRF token, for the logout form (and every form that changes something). */
  csrfToken?: string;
}

const STYLE = trusted(`
:root { --fg:#1d2430; --muted:#5b6677; --line:#d9dee7; --bg:#f6f7f9; --err:#b42318; --errbg:#fdecea; --ok:#067647; --warn:#b54708; --accent:#1f4fd1; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color:var(--fg); background:var(--bg); overflow-wrap:anywhere; }
header.top { display:flex; flex-wrap:wrap; gap:.5rem 1.2rem; align-items:center; padding:.6rem 1rem; background:#fff; border-bottom:1px solid var(--line); }
header.top .brand { font-weight:600; }
header.top nav a { margin-right:1rem; color:var(--accent); text-decoration:none; }
header.top nav a[aria-current] { font-weight:600; color:var(--fg); }
header.top .who { margin-left:auto; color:var(--muted); display:flex; gap:.6rem; align-items:center; }
main { padding:1rem; max-width:1300px; margin:0 auto; }
h1 { font-size:1.35rem; margin:.2rem 0 .8rem; } h2 { font-size:1.1rem; margin:1.4rem 0 .5rem; }
table { border-collapse:collapse; width:100%; background:#fff; border:1px solid var(--line); }
th, td { text-align:left; padding:.35rem .5rem; border-bottom:1px solid var(--line); vertical-align:top; }
th { background:#eef1f5; font-weight:600; font-size:.85rem; }
td.num, th.num { text-align:right; }
.scroll { overflow-x:auto; }
.state { display:inline-block; padding:0 .45rem; border-radius:.6rem; font-size:.8rem; background:#e8ecf2; }
.state.rejected, .state.failed, .state.ack-rejected { background:var(--errbg); color:var(--err); }
.state.posted, .state.acknowledged, .state.sent { background:#e7f6ee; color:var(--ok); }
.state.ack-overdue, .state.held { background:#fef4e6; color:var(--warn); }
.box { background:#fff; border:1px solid var(--line); border-radius:.4rem; padding:.8rem 1rem; margin:.8rem 0; }
.box.problem { border-color:var(--err); background:var(--errbg); }
.muted { color:var(--muted); }
form.filters { display:flex; flex-wrap:wrap; gap:.5rem; align-items:end; margin-bottom:.8rem; }
form.filters label { display:flex; flex-direction:column; font-size:.8rem; color:var(--muted); }
input, select, button { font:inherit; padding:.3rem .45rem; border:1px solid var(--line); border-radius:.3rem; background:#fff; }
button { cursor:pointer; background:var(--accent); color:#fff; border-color:var(--accent); }
button.secondary { background:#fff; color:var(--accent); }
.x12 { font-family:ui-monospace, SFMono-Regular, Menlo, monospace; font-size:.85rem; }
.x12 td.pos { color:var(--muted); width:3.5rem; text-align:right; }
.x12 tr.err { background:var(--errbg); }
.x12 .el { border-bottom:1px dotted #98a2b3; }
.x12 .el.err { background:#f9c7c2; border-bottom:2px solid var(--err); }
.x12 .why { color:var(--err); font-family:system-ui, sans-serif; }
dl.facts { display:grid; grid-template-columns:max-content 1fr; gap:.2rem 1rem; margin:0; }
dl.facts dt { color:var(--muted); }
dl.facts dd { margin:0; }
@media (max-width: 640px) { main { padding:.5rem; } th, td { padding:.3rem; } dl.facts { grid-template-columns:1fr; } }
`);

const SECTIONS = [
  { href: '/', label: 'Dashboard' },
  { href: '/documents', label: 'Documents' },
  { href: '/sent', label: 'Sent' },
  { href: '/as2-messages', label: 'AS2' },
  { href: '/files', label: 'Files' },
  { href: '/partners', label: 'Partners' },
] as const;

/** The hidden field that carries the session's CSRF token in every form that changes something (src/http/auth.ts). */
export function csrfField(viewer: PageViewer | null): Html {
  return html`<input type="hidden" name="_csrf" value="${viewer?.csrfToken ?? ''}">`;
}

/** Sends a console page: HTML, never cached (it shows the state of the moment and who is logged in). */
export function sendPage(reply: FastifyReply, viewer: PageViewer | null, title: string, content: Html, current?: Section): FastifyReply {
  return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page(title, viewer, content, current).text);
}

type Section = (typeof SECTIONS)[number]['href'];

export function page(title: string, viewer: PageViewer | null, content: Html, current?: Section): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · EDI gateway</title>
<style>${STYLE}</style>
</head>
<body>
<header class="top">
  <span class="brand">EDI gateway</span>
  <nav>${SECTIONS.map((s) => html`<a href="${s.href}"${s.href === current ? html` aria-current="page"` : ''}>${s.label}</a>`)}</nav>
  ${viewer ? html`<span class="who">${viewer.username} (${viewer.role})
    <form method="post" action="/logout">${csrfField(viewer)}<button class="secondary" type="submit">Log out</button></form></span>` : ''}
</header>
<main>
${content}
</main>
</body>
</html>`;
}

/** A state as a coloured label. */
export function stateLabel(state: string): Html {
  return html`<span class="state ${state}">${state}</span>`;
}

/** UTC to the minute, as the CLI shows it. */
export function when(d: Date | string | null | undefined): string {
  if (!d) return '';
  return new Date(d).toISOString().replace('T', ' ').replace(/:\d\d\.\d+Z$/, 'Z');
}
