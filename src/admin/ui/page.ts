/**
 * The web console's page (/_emulator/ui): plain HTML and CSS, no framework, no CDN. Its script is
 * served beside it (script.ts) and reads the same control-plane API anyone can script.
 */
export const CONSOLE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tencentcloud-ocr-emulator console</title>
<link rel="icon" href="data:,">
<style>
  :root { --line: #d9dde3; --muted: #5f6b7a; --ok: #137333; --bad: #b3261e; --accent: #0b57d0; font: 14px/1.45 system-ui, sans-serif; color: #1b1f24; }
  body { margin: 0; }
  [hidden] { display: none !important; }
  header { display: flex; gap: 12px; align-items: center; padding: 10px 16px; border-bottom: 1px solid var(--line); flex-wrap: wrap; }
  header h1 { font-size: 16px; margin: 0 12px 0 0; }
  header label { display: flex; gap: 6px; align-items: center; color: var(--muted); }
  input { font: inherit; padding: 4px 6px; border: 1px solid var(--line); border-radius: 4px; width: 11em; }
  main { display: grid; grid-template-columns: minmax(320px, 44%) 1fr; min-height: calc(100vh - 52px); }
  @media (max-width: 760px) { main { grid-template-columns: 1fr; } }
  #list { border-right: 1px solid var(--line); overflow: auto; max-height: calc(100vh - 52px); }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
  #list tr.row { cursor: pointer; }
  #list td { max-width: 9em; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  #list td:nth-child(3) { max-width: 6em; }
  #list th, #list td { padding: 5px 6px; }
  #list tr.row:hover, #list tr.row:focus { background: #eef3fd; outline: none; }
  #list tr.row[aria-selected="true"] { background: #dde7fb; }
  .code-ok { color: var(--ok); } .code-bad { color: var(--bad); }
  #faults { padding: 12px 16px; }
  #faults form { display: flex; gap: 10px; flex-wrap: wrap; align-items: center; }
  #faults form label { display: flex; gap: 6px; align-items: center; color: var(--muted); }
  button { font: inherit; padding: 4px 10px; border: 1px solid var(--line); border-radius: 4px; background: #fff; cursor: pointer; }
  button:focus-visible, input:focus-visible, tr.row:focus-visible { outline: 2px solid var(--accent); }
  #detail { padding: 12px 16px; overflow: auto; max-height: calc(100vh - 52px); }
  #detail h2 { font-size: 15px; margin: 0 0 8px; }
  #detail h3 { font-size: 14px; margin: 16px 0 6px; }
  pre { background: #f6f8fa; padding: 8px; overflow: auto; white-space: pre-wrap; word-break: break-all; }
  .pair { display: flex; gap: 16px; flex-wrap: wrap; align-items: flex-start; }
  .pair table { width: auto; }
  .stage { position: relative; display: inline-block; max-width: 100%; border: 1px solid var(--line); }
  .stage img { display: block; max-width: 100%; max-height: 70vh; height: auto; }
  .stage svg { position: absolute; inset: 0; width: 100%; height: 100%; }
  .stage polygon { fill: rgba(11, 87, 208, 0.12); stroke: var(--accent); stroke-width: 3; vector-effect: non-scaling-stroke; }
  .stage text { fill: var(--accent); font: bold 14px system-ui, sans-serif; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
  .muted { color: var(--muted); }
  details { margin: 10px 0; } summary { cursor: pointer; font-weight: 600; }
  details table.fields td { word-break: break-all; }
  .canon-pair .side { flex: 1 1 22em; min-width: 0; }
  ol.canon { font: 12px/1.5 ui-monospace, monospace; background: #f6f8fa; margin: 0; padding: 8px 8px 8px 3.2em; word-break: break-all; white-space: pre-wrap; }
  ol.canon li.differs { background: #fde7e4; color: var(--bad); font-weight: bold; }
  #sig-form { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; margin-bottom: 8px; }
  #sig-form label { display: flex; gap: 6px; align-items: center; color: var(--muted); flex-wrap: wrap; }
</style>
</head>
<body>
<header>
  <h1>tencentcloud-ocr-emulator</h1>
  <label>Action <input id="f-action" placeholder="QrcodeOCR" autocomplete="off"></label>
  <label>Code <input id="f-code" placeholder="OK" autocomplete="off"></label>
  <label>Test id <input id="f-test" autocomplete="off"></label>
  <span id="status" class="muted" role="status"></span>
  <nav><button id="show-requests" type="button">Requests</button> <button id="show-faults" type="button">Faults &amp; accounts</button></nav>
</header>
<section id="faults" hidden aria-label="Faults and accounts">
  <h2>Fault rules</h2>
  <table><thead><tr><th>Id</th><th>Match</th><th>Effect</th><th>Times</th><th>Matched</th><th>Fired</th><th></th></tr></thead><tbody id="rules"></tbody></table>
  <h3>Add a rule</h3>
  <form id="rule-form">
    <label>Action <input name="action" placeholder="QrcodeOCR"></label>
    <label>Test id <input name="testId"></label>
    <label>SecretId <input name="secretId"></label>
    <label>Effect <input name="effect" required value="FailedOperation.ImageBlur"></label>
    <label>Times <input name="times" type="number" min="1" placeholder="always"></label>
    <button type="submit">Add rule</button>
  </form>
  <p class="muted">The request this form sends to <code>POST /_emulator/faults</code>:</p>
  <pre id="rule-json"></pre>
  <p id="rule-problem" class="code-bad" role="alert"></p>
  <h2>Accounts</h2>
  <pre id="accounts"></pre>
  <h2>Rate limits</h2>
  <pre id="rate-limits"></pre>
</section>
<main>
  <section id="list" aria-label="Requests">
    <table>
      <thead><tr><th>Time</th><th>Action</th><th>SecretId</th><th>Code</th><th>ms</th></tr></thead>
      <tbody id="rows"></tbody>
    </table>
  </section>
  <section id="detail" aria-live="polite"><p class="muted">Select a request.</p></section>
</main>
<script type="module" src="/_emulator/ui/console.js"></script>
</body>
</html>
`;
