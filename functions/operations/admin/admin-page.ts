/**
 * `GET /admin`: the status page. The HTML shell is public and holds no data; its script asks for an
 * admin token (or takes `#token=...` from the address once: a fragment never reaches the server or
 * its logs) and reads `/api/admin/stats` with it, so every figure shown is admin-only. The script is
 * inline and allowed by its hash in the Content-Security-Policy; nothing is loaded
 * from elsewhere (no CDN), so the page works on a closed network.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** The browser script, a file of its own that the linter and the type-checker read (`npm run build` copies it to dist). */
const ADMIN_PAGE_SCRIPT = readFileSync(new URL('./status-page.client.cjs', import.meta.url), 'utf8');

const STYLE = `
body { font: 14px system-ui, sans-serif; margin: 0; background: #f5f6f8; color: #222; }
header { background: #263238; color: #fff; padding: 12px 20px; display: flex; align-items: center; gap: 20px; flex-wrap: wrap; }
header h1 { font-size: 18px; margin: 0; flex: 1; }
header form { display: flex; gap: 6px; }
header input { width: 260px; padding: 4px 6px; }
#status { padding: 8px 20px; color: #555; }
#status.error { color: #c62828; }
main { display: grid; grid-template-columns: repeat(auto-fit, minmax(680px, 1fr)); gap: 16px; padding: 0 20px 20px; }
section { background: #fff; border-radius: 6px; padding: 12px 16px; box-shadow: 0 1px 2px rgba(0,0,0,.12); }
section h2 { font-size: 15px; margin: 0 0 8px; }
svg { width: 100%; max-width: 640px; display: block; }
.legend span { display: inline-block; margin-right: 12px; font-size: 12px; }
.legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: middle; }
table { border-collapse: collapse; font-size: 12px; }
td { padding: 2px 10px 2px 0; }
.summary { color: #555; font-size: 12px; margin: 6px 0; }
`;

const BODY = `
<header>
  <h1>NNA Registry · Operations</h1>
  <form id="token-form"><input id="token" type="password" placeholder="admin bearer token" autocomplete="off"><button type="submit">Use token</button></form>
</header>
<div id="status">Loading…</div>
<main>
  <section>
    <h2>Album-art outcomes, last hour</h2>
    <div class="legend"><span><i style="background:#2e7d32"></i>stored</span><span><i style="background:#ef6c00"></i>retried</span><span><i style="background:#78909c"></i>skipped</span><span><i style="background:#c62828"></i>failed</span></div>
    <svg id="outcomes-chart" viewBox="0 0 640 200" height="200" role="img" aria-label="album-art outcomes per minute"></svg>
    <div class="summary" id="outcome-totals"></div>
    <table><tbody id="failure-codes"></tbody></table>
  </section>
  <section>
    <h2>Album-art processing time</h2>
    <svg id="processing-chart" viewBox="0 0 640 200" height="200" role="img" aria-label="processing-time histogram"></svg>
    <div class="summary" id="processing-summary"></div>
  </section>
  <section>
    <h2>Migrations</h2>
    <svg id="migrations-chart" viewBox="0 0 640 40" height="40" role="img" aria-label="migration progress"></svg>
  </section>
  <section>
    <h2>API latency per route (p50 · p90 · p99)</h2>
    <svg id="latency-chart" viewBox="0 0 640 40" height="40" role="img" aria-label="API latency percentiles"></svg>
  </section>
  <section>
    <h2>Taxonomy paths: sequence numbers used</h2>
    <svg id="sequences-chart" viewBox="0 0 640 40" height="40" role="img" aria-label="sequence numbers used in the fullest taxonomy paths"></svg>
    <div class="summary" id="sequences-summary"></div>
  </section>
  <section>
    <h2>Storage and variants</h2>
    <table><tbody id="storage"></tbody></table>
    <div class="summary" id="variant-totals"></div>
  </section>
</main>
`;

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
}

export const ADMIN_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>NNA Registry · Operations</title>
<style>${STYLE}</style>
</head>
<body data-state="loading">${BODY}<script>${ADMIN_PAGE_SCRIPT}</script>
</body>
</html>
`;

/** Only this page's own script, style and same-origin requests may run. */
export const ADMIN_PAGE_CSP = [
  "default-src 'none'",
  `script-src ${sha256(ADMIN_PAGE_SCRIPT)}`,
  // Styles carry no code; the legend's style attributes need 'unsafe-inline' (a hash would disable it).
  "style-src 'unsafe-inline'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
