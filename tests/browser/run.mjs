#!/usr/bin/env node
// tests/browser/run.mjs: jindu's browser tests. Builds a database through the
// command line (init, a county/street/community and a community worker),
// starts the real `jindu serve` on a free loopback port and drives Debian's
// chromium through playwright-core: sign-in, registering a person through
// the form (a wrong ID check digit first), the print view (print media), a
// phone-width list page and sign-out; then, on a phone-sized screen, the
// workbench (工作台) showing that person overdue for a drug test (a community
// order set through the JSON API), its action opening the test form, and
// recording a negative test, after which the item is gone from the
// workbench; then the scope selector narrowed to 我负责的 (the worker who
// registered the person is its responsible worker) still lists it, and the
// case file names her; on the phone, a document added to the case file
// gets a photo uploaded through its file input (setInputFiles), shown as a
// thumbnail that loads and fits the screen; then the unit picker (a unit chosen by typing its
// name), every GET page of the route table at 390 px for five roles without
// sideways scrolling, and the case file's sticky in-page menu on a phone;
// a double tap on the talk form's save button makes one
// record (and so do two posts of the form at once); a talk saved after the
// session expired is kept across signing in again and saved then; on a
// phone, a unit task (a monthly drug-situation screening set for the
// district) on the workbench opens the unit work form, whose saving clears
// it, and the eradication-patrol form refuses more plants destroyed than
// found beside the field, then records the patrol; the
// new-person form fills sex and birth date from a typed ID number and
// registers the first status with the file; cancelling a task asks first;
// workbench items say since when and why, a proposer waits (查看申请) and is
// told the decision by a notice.
// Screenshots go to --out.
//
// Usage: node tests/browser/run.mjs --jindu ./jindu --out test-output/browser [--keep] [--only N,N...]
// (--only runs the tests of those numbers, each signing in as it needs, and
// reports the others skipped; a test that builds on an earlier one needs it named too)
// Prints "ok N - name" or "not ok N - name: reason" per test; exits 1 when a
// test failed (2 on bad usage). The whole run is limited to 60 s and every
// browser action to 10 s; the server is stopped on every way out.
//
// Needs playwright-core (npm install in tests/browser; scripts/deps.sh
// --browser does it) and /usr/bin/chromium (browsers are never downloaded).

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const OVERALL_MS = 300_000; // 22 tests and more on a machine shared with other builds
const ACTION_MS = 10_000;
const CHROMIUM = process.env.JINDU_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const USERNAME = 'bworker';
const PASSWORD = 'browser-test-pass-2024';

// ---- arguments -------------------------------------------------------------

function usage(msg) {
  process.stderr.write(`run.mjs: ${msg}\nusage: node tests/browser/run.mjs --jindu PATH --out DIR [--keep] [--only N,N...]\n`);
  process.exit(2);
}

const opts = { jindu: null, out: null, keep: false, only: null };
{
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--jindu' || a === '--out') {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      opts[a.slice(2)] = argv[++i];
    } else if (a === '--keep') {
      opts.keep = true;
    } else if (a === '--only') {
      if (i + 1 >= argv.length || !/^\d+(,\d+)*$/.test(argv[i + 1])) usage('--only needs test numbers: N,N...');
      opts.only = new Set(argv[++i].split(',').map(Number));
    } else {
      usage(`unknown argument '${a}'`);
    }
  }
  if (!opts.jindu) usage('--jindu PATH is required');
  if (!opts.out) usage('--out DIR is required');
}
const JINDU = path.resolve(opts.jindu);
const OUT = path.resolve(opts.out);

// ---- test bookkeeping ------------------------------------------------------

const TESTS = [
  'sign in through the form and land on the person list',
  'register a person through the form (wrong ID check digit first)',
  'print view: no navigation, print button hidden for print media',
  'phone-width person list without horizontal overflow',
  'sign out',
  'phone-width workbench: the overdue test of the person, its action opens a touch-friendly test form',
  'phone-width test form: record a negative test, the test-overdue item leaves the workbench',
  'phone-width workbench narrowed to 我负责的: the worker who registered the person is responsible for it',
  'phone-width case file: upload a photo on a document, its thumbnail loads and fits the screen',
  'unit picker: the unit of a new user is chosen by typing its name (no code typed)',
  'phone width: no horizontal scroll on any GET page at 390 px, for every role',
  'case file on a phone: the in-page menu sticks at the top and its links reach the sections',
  'a double tap on save makes one talk record (the button waits; the form\'s one-time token holds without it)',
  'a talk saved after the session expired: kept across signing in again, then saved once',
  'statistics (统计): the table, a number drilled down to its persons, the .xlsx downloaded and read back, cards on a phone',
  'phone width: a unit task on the workbench opens its form, saving clears it; the eradication form shows its error beside the field',
  'new-person form: sex and birth date filled from the typed ID number; registered with its status, no 未登记管控状态 item (one without is listed)',
  'cancelling a task asks first: dismissed, the task stays open; confirmed, it is cancelled',
  'workbench: items say since when and why; the proposer sees 查看申请, not 审批; the decision comes back as a notice she marks read',
  'phone width: a venue inspection recorded on one screen (a missing finding shown beside its field), a photo attached, listed as 待整改',
  'phone width: record a publicity activity with its photo in one form; the record shows the thumbnail and is listed',
  'phone width: a file goes from incomplete to complete (the team\'s roles, a case plan, a letter), each through the form its missing item links to',
  'report forms (报表): the street office opens last month\'s 月报表 from the menu, submits it, sees it locked; the summary draft opens',
  'assessment (考核): the street office opens the table, the community\'s sheet, signs its manual items and enters the household sample through the forms (a wrong sample refused beside the form), and passes the review; then the 无毒单位 ranking of the partner places and a school\'s sheet',
  'phone width: a release 20 days out is on the workbench (即将出所); its action records the release notice, the item becomes 出所必接',
];
let reported = 0; // tests reported so far (they run in order)
let phase = 'setup'; // what runs now, for the overall-timeout report
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
let failures = 0;

function report(n, err) {
  reported = n;
  if (!err) {
    console.log(`ok ${n} - ${TESTS[n - 1]}`);
  } else {
    failures++;
    const msg = String(err && err.message ? err.message : err).replace(/\s+/g, ' ').trim();
    console.log(`not ok ${n} - ${TESTS[n - 1]}: ${msg.length > 600 ? msg.slice(0, 600) + '…' : msg}`);
  }
}

function note(msg) { console.log(`# ${msg}`); }

function check(cond, msg) { if (!cond) throw new Error(msg); }

// ---- the server and the temporary directory -------------------------------

let tmp = null;
let server = null;
let serverExited = null; // Promise resolved when the server process exits
let context = null;
let serverLog = null;

/* Runs `jindu args...` with optional stdin; throws with stderr on a non-zero exit. */
function cli(args, input) {
  const p = spawnSync(JINDU, args, { input: input ?? '', encoding: 'utf8', timeout: 15_000 });
  if (p.error) throw new Error(`jindu ${args.join(' ')}: ${p.error.message}`);
  if (p.status !== 0) throw new Error(`jindu ${args.join(' ')} exited ${p.status}: ${(p.stderr || '').trim()}`);
  return p.stdout;
}

/* A free loopback TCP port (closed again before it is returned). */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/* Starts `jindu serve` and waits (up to 10 s) until GET /login answers. */
async function startServer(db, port) {
  serverLog = path.join(OUT, 'serve.log');
  const fd = fs.openSync(serverLog, 'w');
  server = spawn(JINDU, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  let exitInfo = null;
  serverExited = new Promise((resolve) => server.on('exit', (code, sig) => { exitInfo = { code, sig }; resolve(); }));
  server.on('error', (e) => { exitInfo = { code: e.message, sig: null }; });
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (exitInfo) throw new Error(`jindu serve exited (${exitInfo.code ?? exitInfo.sig}): ${logTail()}`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/login`, { redirect: 'manual', signal: AbortSignal.timeout(2000) });
      await r.arrayBuffer();
      return;
    } catch {
      await sleep(100);
    }
  }
  throw new Error(`jindu serve did not answer within 10 s: ${logTail()}`);
}

function logTail(n = 8) {
  try {
    return fs.readFileSync(serverLog, 'utf8').trim().split('\n').slice(-n).join(' | ');
  } catch {
    return '';
  }
}

/* Stops the server (SIGTERM, SIGKILL after 3 s); safe to call twice. */
async function stopServer() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  server.kill('SIGTERM');
  const done = await Promise.race([serverExited.then(() => true), sleep(3000).then(() => false)]);
  if (!done) {
    server.kill('SIGKILL');
    await Promise.race([serverExited, sleep(1000)]);
  }
}

function removeTmp() {
  if (!tmp || opts.keep) return;
  try { fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 }); } catch { /* chromium may hold files */ }
  tmp = null;
}

// Last resort on any way out: no server is left running.
process.on('exit', () => {
  if (server && server.exitCode === null && server.signalCode === null) {
    try { server.kill('SIGKILL'); } catch { /* already gone */ }
  }
  removeTmp();
});
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    note(`interrupted by ${sig}`);
    process.exit(130);
  });
}

// The overall limit: report what did not finish, stop everything, exit 1.
const overall = setTimeout(async () => {
  note(`the run took longer than ${OVERALL_MS / 1000} s; giving up`);
  const why = phase === 'tests' ? `timed out (overall ${OVERALL_MS / 1000} s limit)` : `timed out during ${phase}`;
  for (let n = reported + 1; n <= TESTS.length; n++) report(n, n === reported + 1 ? why : `not run (${why})`);
  await Promise.race([stopServer(), sleep(3000)]);
  process.exit(1);
}, OVERALL_MS);

// ---- citizen ID numbers ----------------------------------------------------

/* The 18-digit ID for 17 digits: ISO 7064 MOD 11-2 check character. */
function idWithCheck(first17) {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * weights[i];
  return first17 + '10X98765432'[sum % 11];
}

/* The same ID with a different (wrong) check character. */
function withWrongCheck(id) {
  const chars = '0123456789X';
  const right = id[17];
  return id.slice(0, 17) + chars[(chars.indexOf(right) + 1) % chars.length];
}

// ---- page helpers ------------------------------------------------------------

const CJK = /[\u3400-\u4dbf\u4e00-\u9fff]/;

/* Page problems seen since the last call: script errors and 5xx answers. */
const problems = [];
function takeProblems() { return problems.splice(0, problems.length); }
function checkNoProblems() {
  const p = takeProblems();
  check(p.length === 0, `page problems: ${p.join('; ')}`);
}

/* A full-page screenshot of page into OUT/name. Chromium captures beyond
 * the viewport and puts the page's scroll position back afterwards, but the
 * position lands at a later frame: an action right after the screenshot
 * could be scrolled away between its mouse down and up (the phone activity
 * test's save button scrolled into view, then the page jumped back to where
 * the screenshot had found it; the mouse up hit a label, no click, no post).
 * Waits two animation frames so that the position has landed. */
async function fullShot(page, name) {
  await page.screenshot({ path: path.join(OUT, name), fullPage: true });
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
}

/* Elements sticking out to the right of width (for an overflow report). */
async function overflowCulprits(page, width) {
  return page.evaluate((w) => {
    const out = [];
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.right > w + 1 && r.width > 0) {
        const id = el.id ? `#${el.id}` : '';
        const cls = el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
        out.push(`${el.tagName.toLowerCase()}${id}${cls}(right=${Math.round(r.right)})`);
      }
      if (out.length >= 8) break;
    }
    return out;
  }, width);
}

/* Runs body with the page at phone size (PHONE), and sets it back to
 * DESKTOP afterwards, whether body passed or threw. */
async function onPhone(page, body) {
  await page.setViewportSize(PHONE);
  try {
    await body();
  } finally {
    await page.setViewportSize(DESKTOP);
  }
}

// ---- the tests -------------------------------------------------------------

const state = { base: null, page: null, personId: null, name: '李建国', id: null, wrongId: null, token: null, today: null };

async function testLogin() {
  const { page, base } = state;
  await page.goto(`${base}/persons`);
  // Not signed in: the list sends us to the sign-in form.
  await page.waitForURL(/\/login(\?|$)/);
  check(CJK.test(await page.locator('h1').first().innerText()), 'the sign-in heading is not Chinese');
  await page.fill('#f-username', USERNAME);
  await page.fill('#f-password', PASSWORD);
  await page.click('form[action="/login"] button[type=submit]');
  await page.waitForURL((u) => new URL(u).pathname === '/persons');
  const h1 = page.locator('main h1');
  await h1.waitFor({ state: 'visible' });
  const text = (await h1.innerText()).trim();
  check(text.includes('人员档案'), `list heading is ${JSON.stringify(text)}, expected 人员档案`);
  const cookies = await context.cookies(base);
  const sess = cookies.find((c) => c.name === 'jd_session');
  check(sess && sess.value, 'no jd_session cookie after signing in');
  check(sess.httpOnly, 'the session cookie is not HttpOnly');
  checkNoProblems();
}

async function testRegister() {
  const { page, base, name } = state;
  await page.goto(`${base}/persons`);
  await page.click('a[href="/persons/new"]');
  await page.waitForURL((u) => new URL(u).pathname === '/persons/new');
  check((await page.locator('main h1').innerText()).includes('登记新人员'), 'the new-person form heading is not 登记新人员');
  // A community worker's own community is the default.
  const org = await page.inputValue('#f-org');
  if (org !== 'BC1') {
    note(`the responsible community was ${JSON.stringify(org)} by default, not BC1; choosing BC1`);
    await page.selectOption('#f-org', 'BC1');
  }
  await page.fill('#f-name', name);
  await page.selectOption('#f-sex', 'M');
  await page.fill('#f-id_number', state.wrongId);
  await page.fill('#f-birth_date', '1985-06-15');
  await page.fill('#f-phone', '13800138000');

  // First submit: the check digit is wrong.
  const [resp] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/persons'),
    page.click('form.person-form button[type=submit]'),
  ]);
  check(resp.status() === 400, `the refused form answered ${resp.status()}, expected 400`);
  await page.waitForLoadState('domcontentloaded');
  const errEl = page.locator('#e-id_number');
  await errEl.waitFor({ state: 'visible' });
  const errText = (await errEl.innerText()).trim();
  check(CJK.test(errText), `the id_number error is not Chinese: ${JSON.stringify(errText)}`);
  check(errText.includes('校验'), `the id_number error does not speak of the check digit: ${JSON.stringify(errText)}`);
  // Beside the field: the same .field wrapper, marked invalid and described by the message.
  const beside = await page.evaluate(() => {
    const input = document.getElementById('f-id_number');
    const msg = document.getElementById('e-id_number');
    if (!input || !msg) return 'input or message missing';
    const wrap = input.closest('.field');
    if (!wrap || !wrap.contains(msg)) return 'the message is not in the field wrapper of the input';
    if (!wrap.classList.contains('has-error')) return 'the field wrapper is not marked has-error';
    if (input.getAttribute('aria-invalid') !== 'true') return 'the input is not aria-invalid';
    if (input.getAttribute('aria-describedby') !== 'e-id_number') return 'the input is not described by the message';
    const a = input.getBoundingClientRect(), b = msg.getBoundingClientRect();
    if (b.top < a.top - 1 || b.top - a.bottom > 60) return `the message is not next to the input (input ${a.top}-${a.bottom}, message ${b.top})`;
    return '';
  });
  check(beside === '', beside);
  check(await page.inputValue('#f-name') === name, `the typed name was not kept: ${JSON.stringify(await page.inputValue('#f-name'))}`);
  check(await page.inputValue('#f-id_number') === state.wrongId, 'the typed ID number was not kept');
  check(await page.inputValue('#f-sex') === 'M', 'the chosen sex was not kept');
  check(await page.locator('.has-error').count() === 1,
    `expected only id_number in error, got ${await page.locator('.has-error').count()} fields in error`);
  await fullShot(page, 'form-error.png');

  // Second submit with the right check digit.
  await page.fill('#f-id_number', state.id);
  await page.click('form.person-form button[type=submit]');
  await page.waitForURL((u) => /^\/persons\/[1-9][0-9]*$/.test(new URL(u).pathname));
  state.personId = new URL(page.url()).pathname.split('/')[2];
  const h1 = (await page.locator('main h1').innerText()).trim();
  check(h1.includes(name), `the file page heading ${JSON.stringify(h1)} lacks the name`);
  const body = await page.locator('main').innerText();
  check(body.includes(state.id), 'the file page does not show the full ID number');
  check(body.includes('1985-06-15'), 'the file page does not show the birth date');
  await fullShot(page, 'file-page.png');
  checkNoProblems();
}

async function testPrint() {
  const { page, base, name } = state;
  check(state.personId, 'needs the person registered by test 2');
  await page.goto(`${base}/persons/${state.personId}`);
  await page.click(`a[href="/persons/${state.personId}/print"]`);
  await page.waitForURL((u) => new URL(u).pathname === `/persons/${state.personId}/print`);
  const h1 = (await page.locator('h1').first().innerText()).trim();
  check(h1.includes(name), `the print heading ${JSON.stringify(h1)} lacks the name`);
  check(await page.locator('header.top').count() === 0, 'the print view has the navigation header');
  check(await page.locator('nav').count() === 0, 'the print view has a nav element');
  check(await page.locator('form').count() === 0, 'the print view has forms');
  const btn = page.locator('[data-print]');
  check(await btn.count() === 1, `expected one [data-print] button, found ${await btn.count()}`);
  check(await btn.isVisible(), 'the print button is not visible on screen');
  await page.emulateMedia({ media: 'print' });
  try {
    check(await btn.isHidden(), 'the print button is visible for print media');
    check(await page.locator('h1').first().isVisible(), 'the heading is hidden for print media');
    await fullShot(page, 'print-view.png');
    try {
      await page.pdf({ path: path.join(OUT, 'print-view.pdf'), format: 'A4', preferCSSPageSize: true, printBackground: false });
    } catch (e) {
      note(`print-view.pdf not written: ${e.message.split('\n')[0]}`);
    }
  } finally {
    await page.emulateMedia({ media: 'screen' });
  }
  checkNoProblems();
}

async function testPhone() {
  const { page, base, name } = state;
  await onPhone(page, async () => {
    await page.goto(`${base}/persons`);
    await page.locator('main h1').waitFor({ state: 'visible' });
    check(await page.getByRole('link', { name, exact: true }).count() === 1, `the list does not link ${name}`);
    await fullShot(page, 'list-phone.png');
    const sw = await page.evaluate(() => document.documentElement.scrollWidth);
    if (sw > PHONE.width + 1) {
      const culprits = await overflowCulprits(page, PHONE.width);
      throw new Error(`horizontal overflow: scrollWidth ${sw} > ${PHONE.width}; wide: ${culprits.join(', ')}`);
    }
  });
  checkNoProblems();
}

async function testLogout() {
  const { page, base } = state;
  await page.goto(`${base}/persons`);
  await page.click('header.top form[action="/logout"] button[type=submit]');
  await page.waitForURL((u) => new URL(u).pathname === '/login');
  await page.locator('#f-username').waitFor({ state: 'visible' });
  const sess = (await context.cookies(base)).find((c) => c.name === 'jd_session');
  check(!sess || !sess.value, 'the session cookie is still set after signing out');
  await page.goto(`${base}/persons`);
  await page.waitForURL(/\/login(\?|$)/);
  check(await page.locator('header.top form[action="/logout"]').count() === 0, 'a sign-out button is shown after signing out');
  checkNoProblems();
}

// ---- the workbench on a phone --------------------------------------------------

/* YYYY-MM-DD plus days (calendar arithmetic in UTC, no time zones). */
function addDays(iso, days) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/* YYYY-MM-DD plus n calendar months, clamped to the month's last day (core/date.h). */
function addMonths(iso, n) {
  const [y, m, d] = iso.split('-').map(Number);
  const t = y * 12 + (m - 1) + n;
  const ny = Math.floor(t / 12), nm = t % 12;
  const last = new Date(Date.UTC(ny, nm + 1, 0)).getUTCDate();
  return new Date(Date.UTC(ny, nm, Math.min(d, last))).toISOString().slice(0, 10);
}

const daysBetween = (a, b) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

/* A JSON API call as the browser test's worker (bearer token); returns {status, body}. */
async function apiCall(method, p, body) {
  if (!state.token) {
    const r = await fetch(`${state.base}/api/v1/session`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: USERNAME, password: PASSWORD }), signal: AbortSignal.timeout(ACTION_MS),
    });
    const j = await r.json();
    check(r.status === 200 && j.token, `API sign-in answered ${r.status}`);
    state.token = j.token;
  }
  const r = await fetch(`${state.base}${p}`, {
    method, headers: { Authorization: `Bearer ${state.token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(ACTION_MS),
  });
  const text = await r.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: r.status, body: json, text };
}

/* Fails with the widest elements when the page scrolls sideways at the phone's width. */
async function checkNoOverflow(page, what) {
  const sw = await page.evaluate(() => document.documentElement.scrollWidth);
  if (sw > PHONE.width + 1) {
    const culprits = await overflowCulprits(page, PHONE.width);
    throw new Error(`${what}: horizontal overflow: scrollWidth ${sw} > ${PHONE.width}; wide: ${culprits.join(', ')}`);
  }
}

/* The workbench item of the person for a reason (a locator). */
const workItem = (page, reason) => page.locator(`li.witem.r-${reason}`, { has: page.locator(`a.wname[href="/persons/${state.personId}"]`) });

async function testWorkPhone() {
  const { page, base } = state;
  await page.setViewportSize(PHONE);
  // Signed out by test 5: the workbench sends us to the sign-in form first.
  await page.goto(`${base}/work`);
  await page.waitForURL(/\/login(\?|$)/);
  await page.fill('#f-username', USERNAME);
  await page.fill('#f-password', PASSWORD);
  await page.click('form[action="/login"] button[type=submit]');
  await page.waitForURL((u) => new URL(u).pathname === '/work');
  const m = /今天\s*(\d{4}-\d\d-\d\d)/.exec(await page.locator('main').innerText());
  check(m, 'the workbench does not show today\'s date');
  state.today = m[1]; // the server's today (China time)
  if (!state.personId) { // test 2 failed: register a person through the API instead
    const r = await apiCall('POST', '/api/v1/persons', { name: state.name, sex: 'M', id_number: state.id, birth_date: '1985-06-15', org: 'BC1' });
    check(r.status === 201, `POST /api/v1/persons answered ${r.status}: ${r.text.slice(0, 200)}`);
    state.personId = String(r.body.id);
  }
  // A community detox order that took effect 70 days ago: its first test (after 2 months) is overdue.
  state.start = addDays(state.today, -70);
  const r = await apiCall('POST', `/api/v1/persons/${state.personId}/status`,
    { status: 'community_detox', decision_date: addDays(state.today, -75), start_date: state.start });
  check(r.status === 200 || r.status === 201, `POST status answered ${r.status}: ${r.text.slice(0, 200)}`);
  state.due = addMonths(state.start, 2);
  const late = daysBetween(state.due, state.today);
  check(late > 0, `the first test (${state.due}) is not overdue on ${state.today}`);

  await page.goto(`${base}/work`);
  const item = workItem(page, 'test_overdue');
  check(await item.count() === 1, `the workbench has ${await item.count()} test-overdue items for ${state.name}, expected 1`);
  const itemText = await item.innerText();
  check(itemText.includes(state.due), `the item does not show the due date ${state.due}: ${JSON.stringify(itemText)}`);
  check(itemText.includes(`逾期 ${late} 天`), `the item does not say 逾期 ${late} 天: ${JSON.stringify(itemText)}`);
  check(await workItem(page, 'talk_overdue').count() === 1, 'the workbench has no talk-overdue item for the person');
  await checkNoOverflow(page, '/work');
  await fullShot(page, 'work-phone-before.png');

  // Its action: record a test, back to the workbench afterwards.
  const action = item.locator(`a.button[href^="/persons/${state.personId}/tests/new"]`);
  check(await action.count() === 1, 'the test-overdue item has no action to record a test');
  await action.click();
  await page.waitForURL((u) => new URL(u).pathname === `/persons/${state.personId}/tests/new`);
  check(new URL(page.url()).searchParams.get('back')?.startsWith('/work'), `the form does not lead back to the workbench: ${page.url()}`);
  const h1 = (await page.locator('main h1').innerText()).trim();
  check(h1.includes('登记尿检'), `the form heading is ${JSON.stringify(h1)}`);
  check(await page.inputValue('#f-date') === state.today, `the test date does not default to today (${await page.inputValue('#f-date')})`);
  await checkNoOverflow(page, 'the test form');
  // Touch targets: the save button and the result choices at least 44 px tall.
  const submit = page.locator('form.rec-form button[type=submit]');
  const sb = await submit.boundingBox();
  check(sb && sb.height >= 44, `the save button is ${sb ? sb.height : '?'} px tall, expected at least 44`);
  check(sb.x >= 0 && sb.x + sb.width <= PHONE.width + 1, `the save button is not within the screen (${sb.x}..${sb.x + sb.width})`);
  const negative = page.locator('label.choice-negative');
  const nb = await negative.boundingBox();
  check(nb && nb.height >= 44, `the 阴性 choice is ${nb ? nb.height : '?'} px tall, expected at least 44`);
  await negative.click();
  check(await page.locator('input[name=result][value=negative]').isChecked(), 'tapping 阴性 did not choose it');
  await fullShot(page, 'test-form-phone.png');
  checkNoProblems();
}

async function testRecordTestPhone() {
  const { page, base } = state;
  check(state.today && new URL(page.url()).pathname === `/persons/${state.personId}/tests/new`,
    'needs the test form opened by test 6');
  await onPhone(page, async () => {
    check(await page.locator('input[name=result][value=negative]').isChecked(), 'the result chosen in test 6 is gone');
    const [resp] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `/persons/${state.personId}/tests/new`),
      page.click('form.rec-form button[type=submit]'),
    ]);
    check(resp.status() === 303, `saving the test answered ${resp.status()}, expected 303`);
    await page.waitForURL((u) => new URL(u).pathname === '/work');
    await page.locator('main h1').waitFor({ state: 'visible' });
    check(await workItem(page, 'test_overdue').count() === 0, 'the test-overdue item is still on the workbench');
    check(await workItem(page, 'test_due').count() === 0, 'a test-due item appeared for the person');
    check(await workItem(page, 'talk_overdue').count() === 1, 'the talk-overdue item went away with the test');
    await checkNoOverflow(page, '/work after saving');
    await fullShot(page, 'work-phone-after.png');
    // The schedule moved by the tier interval (2 months from today).
    const r = await apiCall('GET', `/api/v1/persons/${state.personId}/schedule`);
    check(r.status === 200, `GET schedule answered ${r.status}`);
    const want = addMonths(state.today, 2);
    check(r.body.next_test_due === want, `next_test_due is ${r.body.next_test_due}, expected ${want}`);
  });
  checkNoProblems();
}

async function testMyCasesPhone() {
  const { page, base } = state;
  check(state.personId, 'needs the person of tests 2 or 6');
  await onPhone(page, async () => {
    await page.goto(`${base}/work`);
    const select = page.locator('#f-org');
    check(await select.count() === 1, 'the workbench has no scope selector');
    check(await select.locator('option[value="me"]').innerText() === '我负责的', 'the first scope is not 我负责的');
    await select.selectOption('me');
    await Promise.all([
      page.waitForURL((u) => new URL(u).searchParams.get('org') === 'me'),
      page.click('form.filters button[type=submit]'),
    ]);
    check(await select.inputValue() === 'me', 'the selector does not show 我负责的 chosen');
    check(await workItem(page, 'talk_overdue').count() === 1, 'the person\'s talk-overdue item is not among my cases');
    await checkNoOverflow(page, '/work?org=me');
    await fullShot(page, 'work-phone-mine.png');
    await page.goto(`${base}/persons/${state.personId}`);
    const main = await page.locator('main').innerText();
    check(/责任社工\s*王社工/.test(main), 'the case file does not name 王社工 as 责任社工');
  });
  checkNoProblems();
}

// ---- attachments on a phone ----------------------------------------------------

/* A 16 x 12 blue PNG. */
const PHOTO_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAABAAAAAMCAIAAADkharWAAAAFUlEQVR42mOQqzhBEmIY1TCqATsCAAtvBpDUj/9uAAAAAElFTkSuQmCC', 'base64');

async function testAttachmentPhone() {
  const { page, base } = state;
  check(state.personId && state.today, 'needs the person of tests 2 or 6 and the server\'s today');
  await onPhone(page, async () => {
    await page.goto(`${base}/persons/${state.personId}`);
    // a signed agreement first: the document that the scan belongs to
    await page.selectOption('#doc-form select[name=kind]', 'agreement');
    await page.fill('#doc-form input[name=signed_date]', state.today);
    await page.fill('#doc-form input[name=number]', '协议-001');
    await Promise.all([
      page.waitForURL((u) => new URL(u).pathname === `/persons/${state.personId}`),
      page.click('#doc-form button[type=submit]'),
    ]);
    const upload = page.locator('#docs form.upload').first();
    check(await upload.count() === 1, 'the document has no upload form');
    await upload.locator('input[type=file]').setInputFiles({ name: '现场照片.png', mimeType: 'image/png', buffer: PHOTO_PNG });
    const [resp] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && /\/docs\/\d+\/attachments$/.test(new URL(r.url()).pathname)),
      upload.locator('button[type=submit]').click(),
    ]);
    check(resp.status() === 303, `the upload answered ${resp.status()}, expected 303`);
    await page.waitForURL((u) => new URL(u).searchParams.get('att') === 'saved');
    check((await page.locator('main').innerText()).includes('文件已上传'), 'no notice after the upload');
    const img = page.locator('#docs .thumbs img').first();
    await img.waitFor({ state: 'visible' });
    await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await img.elementHandle());
    const nat = await img.evaluate((el) => [el.naturalWidth, el.naturalHeight]);
    check(nat[0] === 16 && nat[1] === 12, `the thumbnail's image is ${nat.join('x')}, expected the 16x12 photo`);
    const bb = await img.boundingBox();
    check(bb && bb.width <= PHONE.width / 2 && bb.x >= 0 && bb.x + bb.width <= PHONE.width,
      `the thumbnail is not a thumbnail within the screen: ${JSON.stringify(bb)}`);
    check(await img.getAttribute('alt') === '现场照片.png', 'the thumbnail has no alt text with the file name');
    await checkNoOverflow(page, 'the case file with an attachment');
    await fullShot(page, 'attachment-phone.png');
  });
  checkNoProblems();
}

// ---- issue 8: the unit picker, phone widths, the case file's menu --------------

/* Signs in as user (after dropping the session of the one before). */
async function signInAs(user) {
  const { page, base } = state;
  await context.clearCookies();
  await page.goto(`${base}/login`);
  await page.fill('#f-username', user);
  await page.fill('#f-password', PASSWORD);
  await page.click('form[action="/login"] button[type=submit]');
  await page.waitForURL((u) => new URL(u).pathname !== '/login');
}

async function testUnitPicker() {
  const { page, base } = state;
  await signInAs('badmin');
  await page.goto(`${base}/users`);
  const select = page.locator('#f-org');
  check(await select.evaluate((el) => el.tagName) === 'SELECT', 'the unit of a new user is not a picker');
  check(await page.locator('input[name="org"]').count() === 0, 'the unit of a new user is still typed as a code');
  const search = page.locator('#f-org').locator('xpath=preceding-sibling::input[@type="search"]');
  check(await search.count() === 1, 'no search box before the unit picker (app.js)');
  await search.fill('和平');
  check(await select.inputValue() === 'BC2', `typing 和平 chose ${JSON.stringify(await select.inputValue())}, expected BC2 (和平社区)`);
  const shown = await select.evaluate((el) => Array.from(el.options).filter((o) => !o.hidden).map((o) => o.text));
  check(shown.length === 1 && shown[0] === '和平社区', `typing 和平 left these units: ${JSON.stringify(shown)}`);
  await page.screenshot({ path: path.join(OUT, 'picker.png'), fullPage: false });
  await page.fill('#f-username', 'picked_worker');
  await page.fill('#f-display_name', '和平社工');
  await page.selectOption('#f-role', 'worker');
  await page.fill('#f-password', 'picked-worker-pass-2024');
  await Promise.all([
    page.waitForURL((u) => new URL(u).pathname === '/users' && new URL(u).searchParams.get('ok') === '1'),
    page.click('form[action="/users"] button[type=submit]'),
  ]);
  const row = page.locator('tr', { hasText: 'picked_worker' });
  check((await row.innerText()).includes('和平社区'), `the new user's row does not name 和平社区: ${await row.innerText()}`);
  // a street office is not offered the district's role
  await signInAs('boffice');
  await page.goto(`${base}/users`);
  const roles = await page.locator('#f-role option').evaluateAll((os) => os.map((o) => o.value));
  check(!roles.includes('admin') && roles.includes('worker'), `roles offered to a street office: ${roles.join(', ')}`);
  checkNoProblems();
}

/* The GET pages of web/routes.c (as the integration suite enumerates them), with ids filled in. */
function pagePaths() {
  const src = fs.readFileSync(path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'web', 'routes.c'), 'utf8');
  const pats = [...src.matchAll(/\{"GET", "([^"]+)", \w+, \w+, [^}]*\}/g)].map((m) => m[1])
    .filter((p) => !/^\/(api|static|calendar)\//.test(p) && p !== '/lang');
  check(pats.length > 10, `found only ${pats.length} GET routes in web/routes.c`);
  const out = [];
  for (const p of pats) {
    if (p.startsWith('/approvals/{id}')) { if (state.approvalId) out.push(p.replace('{id}', state.approvalId)); continue; }
    if (p.includes('{id}')) { out.push(p.replace('{id}', state.personId)); continue; }
    out.push(p);
  }
  return out.concat(['/persons?print=1', '/rules?from=annual_counts']);
}

async function testPhoneEveryPage() {
  const { page } = state;
  check(state.personId, 'needs the person of tests 2 or 6');
  const r = await apiCall('POST', `/api/v1/persons/${state.personId}/approvals`, { kind: 'risk_override', risk_level: 'high', reason: '多次失联' });
  if (r.status === 201) state.approvalId = String(r.body.id);
  else note(`no approval to show (${r.status}): /approvals/{id} is left out`);
  const paths = pagePaths();
  const wide = [];
  let seen = 0;
  await onPhone(page, async () => {
    for (const user of ['bworker', 'badmin', 'boffice', 'bpolice', 'bviewer']) {
      await signInAs(user);
      for (const p of paths) {
        const resp = await page.goto(`${state.base}${p}`);
        if (!resp || !(resp.headers()['content-type'] || '').startsWith('text/html')) continue;
        seen++;
        const sw = await page.evaluate(() => document.documentElement.scrollWidth);
        if (sw > PHONE.width) {
          wide.push(`${user} ${p}: ${sw} px (${(await overflowCulprits(page, PHONE.width)).slice(0, 3).join(', ')})`);
          await fullShot(page, `wide-${user}-${p.replace(/[^a-z0-9]+/gi, '_')}.png`);
        }
      }
    }
  });
  note(`measured ${seen} pages at ${PHONE.width} px`);
  check(seen >= 5 * 15, `only ${seen} pages measured`);
  check(wide.length === 0, `${wide.length} pages scroll sideways: ${wide.slice(0, 6).join(' | ')}`);
  checkNoProblems();
}

async function testCaseFileMenu() {
  const { page, base } = state;
  await signInAs(USERNAME);
  const t = await apiCall('PATCH', `/api/v1/persons/${state.personId}`, { help_team: [{ role: '家属', name: '李母', phone: '13900000000' }] });
  check(t.status === 200, `PATCH help_team answered ${t.status}: ${t.text.slice(0, 200)}`);
  await onPhone(page, async () => {
    await page.goto(`${base}/persons/${state.personId}`);
    const menu = page.locator('nav.filemenu');
    check(await menu.count() === 1, 'the case file has no in-page menu');
    const labels = (await menu.locator('a').allInnerTexts()).map((t) => t.trim());
    check(JSON.stringify(labels) === JSON.stringify(['概况', '帮教检测', '状态', '帮教小组', '文书', '记录', '帮扶计划', '服务转介']),
      `the menu's entries are ${JSON.stringify(labels)}`);
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    check(height > 3 * PHONE.height, `the case file is only ${height} px tall: nothing to navigate`);
    for (const [label, id] of [['文书', 'docs'], ['帮教小组', 'team'], ['记录', 'records']]) {
      await menu.locator('a', { hasText: label }).click();
      await page.waitForFunction((h) => location.hash === h, `#${id}`);
      const top = await page.locator(`#${id}`).evaluate((el) => el.getBoundingClientRect().top);
      check(top >= 0 && top < PHONE.height / 2, `${label}: #${id} is at ${top} px, not near the top`);
      const m = await menu.boundingBox();
      check(m && Math.abs(m.y) < 2, `${label}: the menu is at ${m && m.y} px, not stuck at the top`);
    }
    // help-team rows carry their labels as cards
    const label = await page.locator('#team td').first().getAttribute('data-label');
    check(label === '角色', `the help team's first cell is labelled ${JSON.stringify(label)}`);
    await page.screenshot({ path: path.join(OUT, 'file-menu-phone.png'), fullPage: false });
  });
  checkNoProblems();
}

// ---- work never lost, never doubled ----------------------------------------------

/* One number from the test database (the sqlite3 command-line tool). */
function sqlInt(query) {
  const p = spawnSync('sqlite3', ['-batch', '-noheader', '-cmd', '.timeout 5000', state.db, query], { encoding: 'utf8', timeout: 10_000 });
  if (p.status !== 0) throw new Error(`sqlite3 ${query}: ${(p.stderr || p.error?.message || '').trim()}`);
  return Number(p.stdout.trim());
}

const visitsWith = (notes) => sqlInt(`SELECT count(*) FROM visit WHERE person_id = ${Number(state.personId)} AND notes = '${notes}'`);

/* Opens the talk form of the person and types notes. */
async function openTalkForm(notes) {
  const { page, base } = state;
  await page.goto(`${base}/persons/${state.personId}/visits/new`);
  await page.fill('#f-notes', notes);
}

async function testDoubleTap() {
  const { page } = state;
  check(state.personId, 'needs the person of tests 2 or 6');
  const notes = '双击保存只记一次';
  await openTalkForm(notes);
  await Promise.all([
    page.waitForURL((u) => new URL(u).pathname === `/persons/${state.personId}`),
    page.dblclick('.rec-actions button[type=submit]'),
  ]);
  await sleep(300); // a second request, had one gone out, has landed
  check(visitsWith(notes) === 1, `a double tap made ${visitsWith(notes)} talk records`);
  // Without the script's help: the same form sent twice at once from the page.
  const notes2 = '同一表单同时提交两次';
  await openTalkForm(notes2);
  const statuses = await page.evaluate(async () => {
    const f = document.querySelector('form.rec-form');
    const body = new URLSearchParams(new FormData(f)).toString();
    const send = () => fetch(f.action, { method: 'POST', body, redirect: 'manual', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }).then((r) => (r.type === 'opaqueredirect' ? 303 : r.status));
    return Promise.all([send(), send()]);
  });
  check(statuses.join() === '303,303', `the two posts answered ${statuses.join()}, expected 303,303`);
  check(visitsWith(notes2) === 1, `two posts of one form made ${visitsWith(notes2)} talk records`);
  checkNoProblems();
}

async function testExpiredDraft() {
  const { page, base } = state;
  check(state.personId, 'needs the person of tests 2 or 6');
  const notes = '会话过期后保存的谈话';
  await openTalkForm(notes);
  // The session goes idle for an hour while the worker types (the server
  // keeps a checked session 2 s: wait that out).
  sqlInt("UPDATE session SET seen_unix = seen_unix - 3600 WHERE kind = 'cookie'; SELECT changes()");
  await sleep(2200);
  await Promise.all([
    page.waitForURL((u) => new URL(u).pathname === '/login'),
    page.click('.rec-actions button[type=submit]'),
  ]);
  const msg = await page.locator('main').innerText();
  check(msg.includes('登录已过期，请重新登录，您填写的内容已保留'), `the sign-in page does not say the form was kept: ${JSON.stringify(msg.slice(0, 200))}`);
  check(visitsWith(notes) === 0, 'the talk was saved without a session');
  await fullShot(page, 'expired-login.png');
  await page.fill('#f-username', USERNAME);
  await page.fill('#f-password', PASSWORD);
  await Promise.all([
    page.waitForURL((u) => new URL(u).pathname === '/draft'),
    page.click('form[action="/login"] button[type=submit]'),
  ]);
  const kept = await page.locator('main').innerText();
  check(kept.includes(notes), `the kept form does not show the notes: ${JSON.stringify(kept.slice(0, 300))}`);
  await fullShot(page, 'draft.png');
  await Promise.all([
    page.waitForURL((u) => new URL(u).pathname === `/persons/${state.personId}`),
    page.click('form.draft button[type=submit]'),
  ]);
  check(visitsWith(notes) === 1, `the kept talk made ${visitsWith(notes)} records`);
  check((await page.locator('main').innerText()).includes(notes), 'the case file does not show the kept talk');
  await page.goto(`${base}/draft`);
  check((await page.locator('main').innerText()).includes('没有保留的内容'), '/draft still offers the used form');
  checkNoProblems();
}

// ---- the daily paths (issue 8) ----------------------------------------------

/* A JSON API call as another user (bearer token, signed in once). */
const tokens = {};
async function apiAs(user, method, p, body) {
  if (!tokens[user]) {
    const r = await fetch(`${state.base}/api/v1/session`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: user, password: PASSWORD }), signal: AbortSignal.timeout(ACTION_MS),
    });
    const j = await r.json();
    check(r.status === 200 && j.token, `API sign-in of ${user} answered ${r.status}`);
    tokens[user] = j.token;
  }
  const r = await fetch(`${state.base}${p}`, {
    method, headers: { Authorization: `Bearer ${tokens[user]}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(ACTION_MS),
  });
  const text = await r.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: r.status, body: json, text };
}

async function testUnitWorkPhone() {
  const { page, base } = state;
  check(state.today, 'needs the server\'s today from test 6');
  // The district asks every community for a drug-situation screening every month, from this month on.
  const since = `${state.today.slice(0, 8)}01`;
  const r = await apiAs('badmin', 'POST', '/api/v1/unit_rhythms',
    { org: 'B0', task: 'drug_screening', level: 'community', period_type: 'month', since });
  check(r.status === 201 || r.status === 200, `setting the rhythm answered ${r.status}: ${r.text.slice(0, 200)}`);
  await signInAs(USERNAME);
  await onPhone(page, async () => {
    await page.goto(`${base}/work`);
    const section = page.locator('#unit-tasks');
    check(await section.count() === 1, 'the workbench has no unit tasks section');
    const item = section.locator('li.witem', { hasText: '毒情排查' });
    check(await item.count() === 1, `the unit tasks section has ${await item.count()} screening items`);
    check((await item.innerText()).includes('测试社区'), `the screening item does not name the community: ${await item.innerText()}`);
    await checkNoOverflow(page, '/work with unit tasks');
    await fullShot(page, 'unit-tasks-phone.png');
    await item.locator('a.button').click();
    await page.waitForURL((u) => new URL(u).pathname === '/unit_work/new');
    check(await page.locator('input[name=kind][value=drug_screening]').isChecked(), 'the form does not preset 毒情排查');
    check(await page.inputValue('#f-date') === state.today, 'the work date does not default to today');
    check(await page.inputValue('#f-org') === 'BC1', 'the form does not preset the community');
    await checkNoOverflow(page, 'the unit work form');
    const save = page.locator('form.rec-form button[type=submit]');
    const sb = await save.boundingBox();
    check(sb && sb.height >= 44, `the save button is ${sb ? sb.height : '?'} px tall`);
    await page.fill('#f-title', '楼栋出租屋毒情排查');
    await Promise.all([page.waitForURL((u) => new URL(u).pathname === '/work'), save.click()]);
    check(await page.locator('#unit-tasks li.witem', { hasText: '毒情排查' }).count() === 0,
      'the screening is still due after it was recorded');

    // An eradication patrol: more destroyed than found is refused beside the field, then saved.
    await page.goto(`${base}/eradications/new`);
    await checkNoOverflow(page, 'the eradication form');
    await page.fill('#f-location', '测试社区后山');
    await page.fill('#f-found_poppy', '5');
    await page.fill('#f-destroyed_poppy', '6');
    await Promise.all([page.waitForLoadState('load'), page.locator('form.rec-form button[type=submit]').click()]);
    check(new URL(page.url()).pathname === '/eradications/new', `a wrong patrol left the form: ${page.url()}`);
    const err = page.locator('#e-destroyed_poppy');
    check(await err.count() === 1 && (await err.innerText()).includes('铲除数不能大于发现数'),
      'no error beside the destroyed poppies');
    check(await page.inputValue('#f-location') === '测试社区后山', 'the form lost what was typed');
    await fullShot(page, 'eradication-phone-error.png');
    await page.fill('#f-destroyed_poppy', '5');
    await Promise.all([page.waitForURL((u) => new URL(u).pathname === '/eradications'),
      page.locator('form.rec-form button[type=submit]').click()]);
    check((await page.locator('main').innerText()).includes('测试社区后山'), 'the patrol is not listed');
    await checkNoOverflow(page, 'the eradication list');
    await fullShot(page, 'eradications-phone.png');
  });
  checkNoProblems();
}

async function testInspectionPhone() {
  const { page, base } = state;
  check(state.today, 'needs the server\'s today from test 6');
  const r = await apiAs('boffice', 'POST', '/api/v1/places',
    { org: 'BC1', kind: 'venue', category: 'ktv', name: '测试星光KTV', address: '测试路8号', contact: '陈经理' });
  check(r.status === 201, `registering the venue answered ${r.status}: ${r.text.slice(0, 200)}`);
  const venue = r.body.id;
  await signInAs(USERNAME);
  await onPhone(page, async () => {
    await page.goto(`${base}/inspections/new`);
    await checkNoOverflow(page, 'the inspection form');
    check(await page.inputValue('#f-date') === state.today, 'the inspection date does not default to today');
    await page.selectOption('#f-venue', String(venue));
    await page.check('input[name=result][value=problem_found]');
    const save = page.locator('form.rec-form button[type=submit]');
    const sb = await save.boundingBox();
    check(sb && sb.height >= 44 && sb.y + sb.height <= PHONE.height * 2, `the save button: ${JSON.stringify(sb)}`);
    await Promise.all([page.waitForLoadState('load'), save.click()]);
    check(new URL(page.url()).pathname === '/inspections/new', `a problem without findings left the form: ${page.url()}`);
    const err = page.locator('#e-findings');
    check(await err.count() === 1 && (await err.innerText()).includes('发现问题时请填写检查发现的问题'),
      'no error beside the findings');
    check(await page.locator('input[name=result][value=problem_found]').isChecked(), 'the form lost the result');
    await fullShot(page, 'inspection-phone-error.png');
    await page.fill('#f-findings', '两个包厢视窗被遮挡');
    await page.fill('#f-followup', '三日内拆除遮挡物');
    await page.fill('#f-followup_due', state.today);
    await Promise.all([page.waitForURL((u) => /^\/inspections\/\d+$/.test(new URL(u).pathname)),
      page.locator('form.rec-form button[type=submit]').click()]);
    const main = await page.locator('main').innerText();
    check(main.includes('测试星光KTV') && main.includes('待整改'), `the inspection page: ${main.slice(0, 300)}`);
    const upload = page.locator('form.upload');
    check(await upload.count() === 1, 'the inspection has no upload form');
    await upload.locator('input[type=file]').setInputFiles({ name: '包厢.png', mimeType: 'image/png', buffer: PHOTO_PNG });
    await Promise.all([page.waitForURL((u) => new URL(u).searchParams.get('att') === 'saved'),
      upload.locator('button[type=submit]').click()]);
    const img = page.locator('.thumbs img').first();
    await img.waitFor({ state: 'visible' });
    await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await img.elementHandle());
    const bb = await img.boundingBox();
    check(bb && bb.width <= PHONE.width / 2 && bb.x >= 0 && bb.x + bb.width <= PHONE.width,
      `the thumbnail does not fit the screen: ${JSON.stringify(bb)}`);
    await checkNoOverflow(page, 'the inspection page with a photo');
    await fullShot(page, 'inspection-phone.png');
    await page.goto(`${base}/inspections`);
    const row = page.locator('tbody tr', { hasText: '测试星光KTV' });
    check(await row.count() === 1 && (await row.innerText()).includes('待整改'), 'the inspection is not listed as 待整改');
    await checkNoOverflow(page, 'the inspection list');
    await fullShot(page, 'inspections-phone.png');
  });
  checkNoProblems();
}

/* The workbench item of person pid for a reason (a locator). */
const itemOf = (page, pid, reason) => page.locator(`li.witem.r-${reason}`, { has: page.locator(`a.wname[href="/persons/${pid}"]`) });

async function testRegisterWithStatus() {
  const { page, base } = state;
  check(state.today, 'needs the server\'s today from test 6');
  await page.setViewportSize(DESKTOP);
  await page.goto(`${base}/persons/new`);
  const id = idWithCheck('110101' + '19920229' + '024'); // digit 17 even: a woman, born on a leap day
  await page.fill('#f-name', '赵登记');
  await page.fill('#f-id_number', id.slice(0, 17)); // not complete yet: nothing filled
  check(await page.inputValue('#f-birth_date') === '', 'the birth date was filled from 17 characters');
  await page.fill('#f-id_number', id);
  check(await page.inputValue('#f-birth_date') === '1992-02-29', `the birth date is ${JSON.stringify(await page.inputValue('#f-birth_date'))}, expected 1992-02-29`);
  check(await page.inputValue('#f-sex') === 'F', `the sex is ${JSON.stringify(await page.inputValue('#f-sex'))}, expected F`);
  await page.fill('#f-phone', '0571-87654321');
  await page.selectOption('#f-status', 'social_supervision');
  await page.fill('#f-decision_date', addDays(state.today, -3));
  await page.fill('#f-start_date', addDays(state.today, -3));
  await page.click('form.person-form button[type=submit]');
  await page.waitForURL((u) => /^\/persons\/[1-9][0-9]*$/.test(new URL(u).pathname));
  const pid = new URL(page.url()).pathname.split('/')[2];
  check((await page.locator('#control').innerText()).includes('社会面管控'), 'the case file does not show the status registered with it');
  check(sqlInt(`SELECT count(*) FROM status_episode WHERE person_id = ${Number(pid)}`) === 1, 'no status episode with the registration');
  await page.goto(`${base}/work`);
  check(await itemOf(page, pid, 'file_incomplete').count() === 0, 'a person registered with a status is 未登记管控状态 work');
  // registered without: listed until a status is given, its action leads to the status form
  const r = await apiCall('POST', '/api/v1/persons', { name: '钱未定', sex: 'M', id_number: idWithCheck('110101' + '19900101' + '031'), org: 'BC1' });
  check(r.status === 201, `POST /api/v1/persons answered ${r.status}: ${r.text.slice(0, 200)}`);
  await page.goto(`${base}/work`);
  const item = itemOf(page, r.body.id, 'file_incomplete');
  check(await item.count() === 1, 'a person registered without status is not 未登记管控状态 work');
  check((await item.innerText()).includes('自 '), `the item does not say since when: ${JSON.stringify(await item.innerText())}`);
  check(await item.locator(`a[href="/persons/${r.body.id}#status-form"]`).count() === 1, 'the item does not lead to the status form');
  checkNoProblems();
}

async function testCancelAsks() {
  const { page, base } = state;
  // a person under community detox with a positive test: the police_report task is open
  const r = await apiCall('POST', '/api/v1/persons', { name: '孙任务', sex: 'M', id_number: idWithCheck('110101' + '19880808' + '051'),
    org: 'BC1', status: 'community_detox', decision_date: addDays(state.today, -40), start_date: addDays(state.today, -35) });
  check(r.status === 201, `POST /api/v1/persons with status answered ${r.status}: ${r.text.slice(0, 200)}`);
  const pid = r.body.id;
  check(r.body.status === 'community_detox', `the new person's status is ${r.body.status}`);
  const t = await apiCall('POST', `/api/v1/persons/${pid}/tests`, { date: state.today, sample: 'urine', reason: 'random', result: 'positive' });
  check(t.status === 201, `POST tests answered ${t.status}`);
  const task = sqlInt(`SELECT id FROM person_event WHERE person_id = ${pid} AND kind = 'police_report' AND status = 'open'`);
  check(task > 0, 'no open police_report task');
  await page.goto(`${base}/persons/${pid}`);
  const cancel = page.locator(`form[action="/persons/${pid}/tasks/${task}"][data-confirm] button[value=cancelled]`);
  check(await cancel.count() === 1, 'the task has no cancel button that asks first');
  const asked = [];
  state.onDialog = (d) => { asked.push(d.message()); d.dismiss().catch(() => {}); };
  try {
    await cancel.click();
    await sleep(300);
    check(asked.length === 1, `the browser asked ${asked.length} times`);
    check(asked[0].includes('取消'), `the question does not speak of cancelling: ${JSON.stringify(asked[0])}`);
    check(sqlInt(`SELECT count(*) FROM person_event WHERE id = ${task} AND status = 'open'`) === 1, 'dismissing cancelled the task');
    state.onDialog = (d) => { asked.push(d.message()); d.accept().catch(() => {}); };
    await Promise.all([page.waitForURL((u) => new URL(u).searchParams.get('saved') === 'task'), cancel.click()]);
    check(sqlInt(`SELECT count(*) FROM person_event WHERE id = ${task} AND status = 'cancelled'`) === 1, 'confirming did not cancel the task');
  } finally {
    state.onDialog = null;
  }
  checkNoProblems();
}

// Issue 9: a person in compulsory isolation whose two years end in 20 days
// is on the workbench as 即将出所 (release_upcoming); its action opens the
// event form with the release notice chosen; saved with the notified date,
// the item leaves and 出所必接 (release_pickup) takes its place.
async function testReleaseComingPhone() {
  const { page, base } = state;
  check(state.today, 'needs the server\'s today (test 6)');
  const end = addDays(state.today, 20);
  let next = addDays(end, 1);
  if (next.endsWith('-02-29')) next = next.slice(0, 5) + '03-01';
  const start = `${Number(next.slice(0, 4)) - 2}${next.slice(4)}`;
  const r = await apiCall('POST', '/api/v1/persons', { name: '吴出所', sex: 'M', id_number: idWithCheck('110101' + '19860404' + '091'),
    org: 'BC1', status: 'compulsory_isolation', decision_date: start, start_date: start });
  check(r.status === 201, `POST /api/v1/persons answered ${r.status}: ${r.text.slice(0, 200)}`);
  const pid = r.body.id;
  const mine = (reason) => page.locator(`li.witem.r-${reason}`, { has: page.locator(`a.wname[href="/persons/${pid}"]`) });
  await onPhone(page, async () => {
    await page.goto(`${base}/work`);
    const item = mine('release_upcoming');
    check(await item.count() === 1, `the workbench has ${await item.count()} 即将出所 items for the person, expected 1`);
    const text = await item.innerText();
    check(text.includes(end), `the item does not show the expected release ${end}: ${JSON.stringify(text)}`);
    await checkNoOverflow(page, '/work with a release coming');
    const action = item.locator(`a.button[href^="/persons/${pid}/events/new"]`);
    check(await action.count() === 1, 'the 即将出所 item has no action to record the notice');
    await action.click();
    await page.waitForURL((u) => new URL(u).pathname === `/persons/${pid}/events/new`);
    check(await page.inputValue('select[name=kind]') === 'release_notice', `the event form chose ${await page.inputValue('select[name=kind]')}`);
    await page.fill('#f-date', end);
    await checkNoOverflow(page, 'the release notice form');
    await Promise.all([page.waitForURL((u) => new URL(u).pathname === '/work'), page.click('form.rec-form button[type=submit]')]);
    await page.locator('main h1').waitFor({ state: 'visible' });
    check(await mine('release_upcoming').count() === 0, 'the 即将出所 item is still on the workbench');
    check(await mine('release_pickup').count() === 1, 'no 出所必接 item after the notice');
    await fullShot(page, 'release-coming-phone.png');
  });
  checkNoProblems();
}

async function testWhyAndNotice() {
  const { page, base } = state;
  // an order that took effect 70 days ago, nothing recorded since: test and talk overdue
  const start = addDays(state.today, -70);
  const r = await apiCall('POST', '/api/v1/persons', { name: '周缘由', sex: 'M', id_number: idWithCheck('110101' + '19870303' + '071'),
    org: 'BC1', status: 'community_detox', decision_date: addDays(state.today, -72), start_date: start });
  check(r.status === 201, `POST /api/v1/persons answered ${r.status}: ${r.text.slice(0, 200)}`);
  const pid = r.body.id;
  await page.goto(`${base}/work`);
  for (const [reason, why] of [['test_overdue', '检测频次'], ['talk_overdue', '谈话走访频次']]) {
    const it = itemOf(page, pid, reason);
    check(await it.count() === 1, `the person has no ${reason} item`);
    const text = await it.innerText();
    check(text.includes(`自 ${start}`) && text.includes(why), `the ${reason} item does not say since when and why: ${JSON.stringify(text)}`);
  }
  // a transfer the worker proposes: she waits, the county office decides
  const a = await apiCall('POST', `/api/v1/persons/${pid}/approvals`, { kind: 'transfer', to_org: 'BC3', reason: '租房搬家' });
  check(a.status === 201, `POST approvals answered ${a.status}: ${a.text.slice(0, 200)}`);
  await page.goto(`${base}/work`);
  const mine = itemOf(page, pid, 'approval_pending');
  check(await mine.count() === 1, 'the proposer has no approval item');
  check(await mine.getByRole('link', { name: '查看申请' }).count() === 1, 'the proposer is not offered 查看申请');
  check(await mine.getByRole('link', { name: '审批', exact: true }).count() === 0, 'the proposer is offered 审批');
  const d = await apiAs('badmin', 'POST', `/api/v1/approvals/${a.body.id}/decide`, { decision: 'reject', reason: '接收社区未确认住址' });
  check(d.status === 200, `the decision answered ${d.status}: ${d.text.slice(0, 200)}`);
  await page.goto(`${base}/work`);
  const notice = page.locator('#notices li', { hasText: '您提请的审批已处理' });
  check(await notice.count() === 1, 'the workbench does not tell the proposer the decision');
  check((await notice.innerText()).includes('接收社区未确认住址'), 'the notice does not give the decision\'s reason');
  await fullShot(page, 'work-notice.png');
  await Promise.all([page.waitForURL((u) => new URL(u).pathname === '/work'), notice.getByRole('button', { name: '知道了' }).click()]);
  check(await page.locator('#notices').count() === 0, 'the notice is still shown after 知道了');
  checkNoProblems();
}

// ---- the run -----------------------------------------------------------------

// ---- issue 11: the statistics page ------------------------------------------------

/* The rows of the first sheet of an .xlsx file, read back by Python's zipfile (row number -> cells in order). */
function xlsxRows(file) {
  const py = `import re,sys,zipfile,xml.etree.ElementTree as ET,json
z=zipfile.ZipFile(sys.argv[1]);ns='{http://schemas.openxmlformats.org/spreadsheetml/2006/main}'
ss=[''.join(t.text or '' for t in si.iter(ns+'t')) for si in ET.fromstring(z.read('xl/sharedStrings.xml'))] if 'xl/sharedStrings.xml' in z.namelist() else []
out={}
for r in ET.fromstring(z.read('xl/worksheets/sheet1.xml')).iter(ns+'row'):
  cells=[]
  for c in r.iter(ns+'c'):
    v=c.find(ns+'v');t=c.get('t')
    cells.append(''.join(x.text or '' for x in c.iter(ns+'t')) if t=='inlineStr' else ss[int(v.text)] if t=='s' else (v.text if v is not None else None))
  out[r.get('r')]=cells
print(json.dumps(out,ensure_ascii=False))`;
  const p = spawnSync('python3', ['-c', py, file], { encoding: 'utf8', timeout: 15_000 });
  check(p.status === 0, `reading the xlsx back failed: ${(p.stderr || '').trim()}`);
  return JSON.parse(p.stdout);
}

async function testReportForm() {
  const { page, base } = state;
  await signInAs('boffice');
  await page.goto(`${base}/`);
  await Promise.all([page.waitForURL((u) => new URL(u).pathname === '/reports'), page.click('header nav a[href="/reports"]')]);
  const head = await page.locator('#report h2').innerText();
  check(head.includes('禁毒工作月报表') && head.includes('测试街道'), `the form's heading: ${head}`);
  const rows = await page.locator('#report table tbody tr').allInnerTexts();
  check(rows.some((r) => r.includes('测试社区')) && rows[rows.length - 1].includes('合计'),
    `the rows are not the communities and the total: ${JSON.stringify(rows)}`);
  check((await page.locator('#report-state').innerText()).includes('未上报'), 'the month is not open before submitting');
  await Promise.all([page.waitForURL((u) => new URL(u).searchParams.get('saved') === 'submit'),
    page.click('#submit-form button[type=submit]')]);
  check((await page.locator('#report-state').innerText()).includes('已上报'), 'the month is not locked after submitting');
  check(await page.locator('#submit-form').count() === 0, 'the submit button is still offered');
  await page.goto(`${base}/summary`);
  const draft = await page.inputValue('textarea[name=text]');
  check(draft.startsWith('一、基本情况') && draft.includes('四、下步工作打算'), `the draft: ${draft.slice(0, 80)}`);
}

async function testStats() {
  const { page, base } = state;
  check(state.personId, 'needs the person of tests 2 or 6');
  await signInAs('badmin');
  await page.goto(`${base}/stats`);
  check((await page.locator('h1').innerText()).includes('统计'), 'the statistics page has no heading');
  const table = page.locator('table.stats').first();
  const rows = await table.locator('tbody tr').allInnerTexts();
  check(rows.length === 3 && rows[0].includes('测试街道') && rows[1].includes('长江街道') && rows[2].includes('合计'),
    `the rows are not the two streets and the total: ${JSON.stringify(rows)}`);
  // the total's registered figure, a link to the persons behind it
  const link = table.locator('tr.total a[href*="measure=registered"]').first();
  const figure = Number(await link.innerText());
  check(figure >= 1, `the county registers ${figure} persons`);
  await Promise.all([page.waitForURL((u) => new URL(u).pathname === '/stats/items'), link.click()]);
  check((await page.locator('h1').innerText()).includes('在册人数'), 'the drill-down does not name the measure');
  check(await page.locator(`table.items a[href="/persons/${state.personId}"]`).count() === 1,
    'the person registered in test 2 is not behind the figure');
  check((await page.locator('main').innerText()).includes(`合计 ${figure}`), `the drill-down does not total ${figure}`);
  await page.goBack();
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#stats-xlsx')]);
  const file = path.join(tmp, 'stats.xlsx');
  await download.saveAs(file);
  const xl = xlsxRows(file);
  check(String(xl['1'][0]).includes('禁毒工作统计'), `the workbook's title: ${xl['1']}`);
  const head = xl['2'];
  const col = head.indexOf('在册人数');
  check(col > 1, `no 在册人数 column: ${head}`);
  const total = xl['5'];
  check(total && total[1] === '合计' && Number(total[col]) === figure,
    `the workbook's total row ${JSON.stringify(total)} does not hold ${figure} registered`);
  // on a phone the table folds into cards, nothing scrolls sideways
  await onPhone(page, async () => {
    await page.reload();
    check(await page.locator('table.stats[data-cards]').count() >= 1, 'the statistics table is not marked for cards');
    const label = await page.locator('table.stats tbody tr').first().locator('td').nth(1).getAttribute('data-label');
    check(label && label.includes('在册人数'), `the first figure's card label: ${label}`);
    await checkNoOverflow(page, 'the statistics page');
    await page.locator('table.stats').first().screenshot({ path: path.join(OUT, 'stats-phone.png') });
  });
  await fullShot(page, 'stats.png');
  checkNoProblems();
}

// ---- issue 10: the prevention ledgers on a phone ---------------------------------

async function testActivityPhone() {
  const { page, base } = state;
  await signInAs(USERNAME);
  await onPhone(page, async () => {
    await page.goto(`${base}/activities/new`);
    await checkNoOverflow(page, 'the activity form');
    check(await page.inputValue('#f-org') === 'BC1', 'the form does not preset the community');
    check(await page.locator('input[name=kind][value=lecture]').isChecked(), 'the form does not preset 讲座');
    await page.fill('#f-title', '测试小学禁毒讲座');
    await page.locator('label.choice', { hasText: '进学校' }).click();
    await page.locator('label.choice', { hasText: '中小学生' }).click();
    await page.fill('#f-participants', '320');
    await page.fill('#f-leaflets', '500');
    await page.locator('#f-photo').setInputFiles({ name: '讲座现场.png', mimeType: 'image/png', buffer: PHOTO_PNG });
    await fullShot(page, 'activity-phone-form.png');
    const save = page.locator('form.rec-form button[type=submit]');
    const sb = await save.boundingBox();
    check(sb && sb.height >= 44, `the save button is ${sb ? sb.height : '?'} px tall`);
    const toRecord = (u) => /^\/activities\/\d+$/.test(new URL(u).pathname);
    const posts = [];
    const onRequest = (q) => { if (q.method() === 'POST') posts.push(q.url()); };
    page.on('request', onRequest);
    try {
      await Promise.all([page.waitForURL(toRecord, { timeout: 15000 }), save.click()]);
    } catch (err) {
      // An open bug, not understood yet: in some loaded full runs this multipart post never leaves the
      // browser (fullShot's wait for the screenshot's scroll made it rarer, not gone: stop 16's note).
      // Say so, with what the browser sent, and post once more (the one-time token makes a repeat
      // harmless; the page script's sending mark is cleared, else it holds the repeat as a double tap);
      // a second loss fails the test.
      console.log(`# warning: the activity post was lost (${err.message.split('\n')[0]}; POSTs the browser sent: ${posts.join(' ') || 'none'}); posting again`);
      await Promise.all([page.waitForURL(toRecord, { timeout: 15000 }),
        page.locator('form.rec-form').evaluate((f) => { delete f.dataset.sending; f.requestSubmit(); })]);
    } finally {
      page.off('request', onRequest);
    }
    const text = await page.locator('main').innerText();
    check(text.includes('测试小学禁毒讲座') && text.includes('进学校') && text.includes('320'), 'the record does not show what was typed');
    const img = page.locator('.thumbs img').first();
    await img.waitFor({ state: 'visible' });
    await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await img.elementHandle());
    const bb = await img.boundingBox();
    check(bb && bb.x >= 0 && bb.x + bb.width <= PHONE.width, `the thumbnail does not fit the screen: ${JSON.stringify(bb)}`);
    await checkNoOverflow(page, 'the activity record');
    await fullShot(page, 'activity-phone.png');
    await page.goto(`${base}/activities`);
    check((await page.locator('main').innerText()).includes('测试小学禁毒讲座'), 'the activity is not listed');
    await checkNoOverflow(page, 'the activity list');
  });
  checkNoProblems();
}

/* Casework (issue 9) at 390 px: a supervised person whose team is family
 * only; the file page lists what is missing; the team (edit form), the plan
 * (its form) and a letter (the document form) each complete one item; the
 * file says complete at the end, with no sideways scroll on any page. */
async function testCaseFileCompletePhone() {
  const { page, base } = state;
  check(state.today, 'needs the server\'s today from test 6');
  const r = await apiCall('POST', '/api/v1/persons', {
    name: '孙完整', sex: 'M', id_number: idWithCheck('110101' + '19870203' + '135'), org: 'BC1',
    status: 'social_supervision', decision_date: state.today, start_date: state.today,
    help_team: [{ role: '家属', name: '孙母', phone: '' }],
  });
  check(r.status === 201, `POST /api/v1/persons answered ${r.status}: ${r.text.slice(0, 200)}`);
  const pid = r.body.id;
  await onPhone(page, async () => {
    await page.goto(`${base}/persons/${pid}`);
    check(await page.locator('#file-incomplete').count() === 1, 'the new file does not say it is incomplete');
    const missing = async () => page.locator('#complete li[data-check]').evaluateAll((l) => l.map((x) => x.dataset.check));
    check(JSON.stringify(await missing()) === '["team","plan","document"]', `missing: ${JSON.stringify(await missing())}`);
    await checkNoOverflow(page, 'the incomplete file');
    await page.screenshot({ path: path.join(OUT, 'file-incomplete-phone.png'), fullPage: false });
    // the team: its link opens the edit form at the team
    await page.click('#complete li[data-check=team] a');
    await page.waitForURL((u) => new URL(u).pathname === `/persons/${pid}/edit`);
    const roles = page.locator('#team-form input[name=team_role]');
    const names = page.locator('#team-form input[name=team_name]');
    const add = [['社区民警', '周警官'], ['禁毒社工', '王社工'], ['社区干部', '吴主任']];
    for (let i = 0; i < add.length; i++) {
      await roles.nth(i + 1).fill(add[i][0]);
      await names.nth(i + 1).fill(add[i][1]);
    }
    await checkNoOverflow(page, 'the edit form');
    await Promise.all([page.waitForURL((u) => new URL(u).pathname === `/persons/${pid}`),
      page.click('form.person-form button[type=submit]')]);
    check(JSON.stringify(await missing()) === '["plan","document"]', `after the team, missing: ${JSON.stringify(await missing())}`);
    // the plan
    await page.click('#complete li[data-check=plan] a');
    await page.waitForURL((u) => new URL(u).pathname === `/persons/${pid}/plan/new`);
    await page.fill('#f-goals', '稳定就业，保持操守');
    await page.fill('#f-review_date', addDays(state.today, 90));
    await page.fill('#m-c-0', '每月谈心谈话一次');
    await page.fill('#m-s-0', state.today);
    await checkNoOverflow(page, 'the plan form');
    await Promise.all([page.waitForURL((u) => new URL(u).pathname === `/persons/${pid}`),
      page.click('form.rec-form button[type=submit]')]);
    check(JSON.stringify(await missing()) === '["document"]', `after the plan, missing: ${JSON.stringify(await missing())}`);
    check((await page.locator('#plan').innerText()).includes('每月谈心谈话一次'), 'the plan is not on the file');
    // the letter
    await page.click('#complete li[data-check=document] a');
    await page.selectOption('#doc-form select[name=kind]', 'responsibility_letter');
    await page.fill('#doc-form input[name=signed_date]', state.today);
    await Promise.all([page.waitForURL((u) => new URL(u).pathname === `/persons/${pid}`),
      page.click('#doc-form button[type=submit]')]);
    check(await page.locator('#file-complete').count() === 1, 'the file does not say it is complete');
    check(await page.locator('#file-incomplete').count() === 0, 'the file still says incomplete');
    await checkNoOverflow(page, 'the complete file');
    await page.screenshot({ path: path.join(OUT, 'file-complete-phone.png'), fullPage: false });
    const f = await apiCall('GET', `/api/v1/persons/${pid}/file`);
    check(f.status === 200 && f.body.complete === true, `the API says ${f.text.slice(0, 200)}`);
  });
  checkNoProblems();
}

/* The street office reviews a community's application for 无毒社区. */
async function testAssessmentReview() {
  const { page, base } = state;
  const year = (state.today || new Date().toISOString()).slice(0, 4);
  const applied = await apiAs(USERNAME, 'POST', '/api/v1/assessment/act', { org: 'BC1', year, action: 'apply' });
  check(applied.status === 200 && applied.body.state === 'applied', `the community's application answered ${applied.status}: ${applied.text.slice(0, 200)}`);
  await signInAs('boffice');
  await page.goto(`${base}/assessment?org=BS1&year=${year}`);
  check((await page.locator('h1').innerText()).includes('无毒社区创建考核'), 'the assessment page has no heading');
  const row = page.locator('table.assess tr[data-org="BC1"]');
  check(await row.count() === 1, 'the table has no row for 测试社区');
  check((await row.innerText()).includes('已申报'), `the row does not show the application: ${await row.innerText()}`);
  await fullShot(page, 'assessment.png');
  await Promise.all([page.waitForURL((u) => new URL(u).pathname === '/assessment/unit'), row.getByRole('link', { name: '测试社区' }).click()]);
  check(await page.locator('#assess-state').getAttribute('data-state') === 'applied', 'the sheet does not show the application');
  check(await page.locator('#act-review_pass').count() === 1, 'the street office is not offered the review');
  // a sample of 20 households is refused beside the form, nothing saved
  const sample = page.locator('#assess-sample');
  await sample.locator('input[name=date]').fill(state.today || `${year}-01-02`);
  await sample.locator('input[name=households]').fill('20');
  await sample.locator('input[name=records]').fill('120');
  await sample.locator('input[name=accurate]').fill('119');
  await sample.locator('input[name=complete]').fill('118');
  await Promise.all([page.waitForLoadState('load'), sample.locator('button[type=submit]').click()]);
  check((await page.locator('main').innerText()).includes('抽查户数不在考核标准规定的范围内'), 'no message for 20 households');
  await page.locator('#assess-sample input[name=date]').fill(state.today || `${year}-01-02`);
  for (const [k, v] of [['households', '56'], ['records', '120'], ['accurate', '119'], ['complete', '118']])
    await page.locator(`#assess-sample input[name=${k}]`).fill(v);
  await Promise.all([page.waitForURL((u) => new URL(u).searchParams.get('done') === '1'), page.locator('#assess-sample button[type=submit]').click()]);
  check((await page.locator('tr[data-item="sample_accuracy"]').innerText()).includes('99.2%'), 'the sample accuracy 119/120 is not 99.2%');
  for (const item of ['no_venue_drugs', 'no_precursor_leak']) {
    await page.selectOption('#assess-sign select[name=item]', item);
    await page.locator('#assess-sign input[name=note]').fill('查阅排查台账并走访');
    await Promise.all([page.waitForURL((u) => new URL(u).searchParams.get('done') === '1'), page.locator('#assess-sign button[type=submit]').click()]);
    check((await page.locator(`tr[data-item="${item}"]`).innerText()).includes('查阅排查台账并走访'), `the sign-off of ${item} is not shown`);
  }
  await Promise.all([page.waitForURL((u) => new URL(u).searchParams.get('done') === '1'), page.locator('#act-review_pass button').click()]);
  check(await page.locator('#assess-state').getAttribute('data-state') === 'reviewed', 'the review did not pass');
  check(await page.locator('#assess-sign').count() === 0, 'the sign-off form is still offered after the review');
  await fullShot(page, 'assessment-unit.png');
  // 无毒单位: the partner places' ranking, chosen in the filter form, and one place's sheet
  const pl = await apiAs('boffice', 'POST', '/api/v1/places',
    { org: 'BC1', kind: 'school', name: '测试考核小学', address: '测试路9号' });
  check(pl.status === 201, `registering the school answered ${pl.status}: ${pl.text.slice(0, 200)}`);
  await page.goto(`${base}/assessment?org=BS1&year=${year}`);
  await page.selectOption('form.filters select[name=scheme]', 'unit');
  await Promise.all([page.waitForURL((u) => new URL(u).searchParams.get('scheme') === 'unit'), page.locator('form.filters button[type=submit]').click()]);
  check((await page.locator('h1').innerText()).includes('无毒单位创建考核'), 'the units\' ranking has no heading');
  const prow = page.locator(`table.assess tr[data-place="${pl.body.id}"]`);
  check(await prow.count() === 1, 'the ranking has no row for the school');
  await fullShot(page, 'assessment-places.png');
  await Promise.all([page.waitForURL((u) => new URL(u).searchParams.get('place') === String(pl.body.id)), prow.getByRole('link', { name: '测试考核小学' }).click()]);
  check((await page.locator('h1').innerText()).includes('测试考核小学'), 'the school\'s sheet has no heading');
  check(await page.locator('tr[data-item="letter_signed"]').count() === 1, 'the school\'s sheet has no letter item');
  check(await page.locator('#act-apply').count() === 1, 'the street office is not offered to apply for the school');
  checkNoProblems();
}

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  console.log(`1..${TESTS.length}`);
  let setupError = null;
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch (e) {
    setupError = `playwright-core is not installed (run scripts/deps.sh --browser): ${e.message.split('\n')[0]}`;
  }
  if (!setupError && !fs.existsSync(CHROMIUM)) setupError = `${CHROMIUM} is missing (run scripts/deps.sh --browser)`;
  if (!setupError && !fs.existsSync(JINDU)) setupError = `${JINDU} does not exist (build it with make)`;

  if (!setupError) {
    try {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jindu-browser-'));
      const db = path.join(tmp, 'jindu.db');
      state.db = db;
      phase = 'setup (jindu init, org add, user add)';
      cli(['init', '--db', db]);
      cli(['org', 'add', '--db', db, '--code', 'B0', '--name', '浏览器测试区', '--level', 'county']);
      cli(['org', 'add', '--db', db, '--code', 'BS1', '--name', '测试街道', '--level', 'street', '--parent', 'B0']);
      cli(['org', 'add', '--db', db, '--code', 'BC1', '--name', '测试社区', '--level', 'community', '--parent', 'BS1']);
      cli(['user', 'add', '--db', db, '--username', USERNAME, '--role', 'worker', '--org', 'BC1', '--name', '王社工',
        '--password-stdin'], PASSWORD + '\n');
      cli(['org', 'add', '--db', db, '--code', 'BC2', '--name', '和平社区', '--level', 'community', '--parent', 'BS1']);
      cli(['org', 'add', '--db', db, '--code', 'BS2', '--name', '长江街道', '--level', 'street', '--parent', 'B0']);
      cli(['org', 'add', '--db', db, '--code', 'BC3', '--name', '江滨社区', '--level', 'community', '--parent', 'BS2']);
      for (const [u, role, org] of [['badmin', 'admin', 'B0'], ['boffice', 'office', 'BS1'], ['bpolice', 'police', 'BC1'],
        ['bviewer', 'viewer', 'B0']])
        cli(['user', 'add', '--db', db, '--username', u, '--role', role, '--org', org, '--password-stdin'], PASSWORD + '\n');
      note(`${elapsed()}: database ready`);
      phase = 'setup (starting jindu serve)';
      const port = await freePort();
      state.base = `http://127.0.0.1:${port}`;
      await startServer(db, port);
      note(`${elapsed()}: server up`);
      phase = 'setup (launching chromium)';
      context = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
        executablePath: CHROMIUM,
        headless: true,
        args: CHROMIUM_ARGS,
        viewport: DESKTOP,
        locale: 'zh-CN',
        timeout: 20_000,
      });
      context.setDefaultTimeout(ACTION_MS);
      context.setDefaultNavigationTimeout(ACTION_MS);
      state.page = context.pages()[0] || await context.newPage();
      state.page.on('pageerror', (e) => problems.push(`script error: ${e.message}`));
      state.page.on('response', (r) => { if (r.status() >= 500) problems.push(`${r.status()} for ${r.request().method()} ${r.url()}`); });
      state.page.on('dialog', (d) => {
        if (state.onDialog) return state.onDialog(d); /* a test that expects one */
        problems.push(`unexpected dialog: ${d.message()}`);
        d.dismiss().catch(() => {});
      });
      state.id = idWithCheck('110101' + '19850615' + '123'); // 17th digit 3: odd, male
      state.wrongId = withWrongCheck(state.id);
      phase = 'tests';
      note(`${elapsed()}: server ${state.base}, chromium ${context.browser()?.version() ?? '?'}, ID ${state.id} (wrong: ${state.wrongId})`);
    } catch (e) {
      setupError = `setup failed: ${e.message.split('\n')[0]}`;
    }
  }

  const fns = [testLogin, testRegister, testPrint, testPhone, testLogout, testWorkPhone, testRecordTestPhone, testMyCasesPhone,
    testAttachmentPhone, testUnitPicker, testPhoneEveryPage, testCaseFileMenu, testDoubleTap, testExpiredDraft, testStats,
    testUnitWorkPhone, testRegisterWithStatus, testCancelAsks, testWhyAndNotice, testInspectionPhone,
    testActivityPhone, testCaseFileCompletePhone, testReportForm,
    testAssessmentReview, testReleaseComingPhone];
  for (let i = 0; i < fns.length; i++) {
    if (setupError) { report(i + 1, setupError); continue; }
    if (opts.only && !opts.only.has(i + 1)) { reported = i + 1; console.log(`ok ${i + 1} - ${TESTS[i]} # SKIP not in --only`); continue; }
    takeProblems();
    const t0 = Date.now();
    try {
      await fns[i]();
      report(i + 1, null);
      note(`test ${i + 1} took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    } catch (e) {
      const where = state.page ? ` (at ${state.page.url()})` : '';
      report(i + 1, `${e.message.split('\n')[0]}${where}`);
      if (state.page) {
        await fullShot(state.page, `failure-${i + 1}.png`).catch(() => {});
      }
    }
  }

  if (context) await Promise.race([context.close().catch(() => {}), sleep(5000)]);
  await stopServer();
  if (failures && serverLog) note(`server log: ${logTail()}`);
  removeTmp();
  clearTimeout(overall);
  note(`${TESTS.length - failures} passed, ${failures} failed in ${elapsed()}; screenshots in ${OUT}`);
  process.exit(failures ? 1 : 0);
}

main().catch(async (e) => {
  note(`internal error: ${e.stack || e}`);
  for (let n = reported + 1; n <= TESTS.length; n++) report(n, 'not run (internal error)');
  await Promise.race([stopServer(), sleep(3000)]);
  process.exit(1);
});
