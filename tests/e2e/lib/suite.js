// The frame of every scenario file: `e2eSuite(name, (app) => { test(…) })` starts a fresh server
// and browser for the file, gives the scenarios an `app` to visit and check pages with, and ends
// with the Nu HTML Checker over every page visited.
//
// Every HTML page the browser loads is recorded; each must be checked with `app.check(page, name)`
// (axe, expected status, no console error), else the suite fails naming the page.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { axeViolations, horizontalOverflow, nuErrors } from './audit.js';
import { startBrowser } from './browser.js';
import { readMailbox, waitForEmail } from './mailbox.js';
import { startServer } from './server.js';

/** Where screenshots and the HTML of visited pages go (ignored by git). */
export const ARTIFACTS = resolve(import.meta.dirname, '..', 'artifacts');

/** The widths of the screenshots: a small phone and a laptop. */
export const WIDTHS = [375, 1280];
const HEIGHT = 800;

/**
 * Declares a scenario file named `name`; `body(app)` declares its tests. `options.env` adds
 * settings to the server's environment.
 */
export function e2eSuite(name, body, options = {}) {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  const htmlDir = join(ARTIFACTS, 'html', slug);
  const documents = [];
  let server;
  let browser;

  const app = {
    /** The address of `path` on the server under test. */
    url: (path) => new URL(path, server.baseUrl).href,

    /** A new tab, recording the pages it loads and the errors its console shows. */
    async newPage() {
      const page = await browser.context.newPage();
      page.consoleErrors = [];
      page.on('console', (message) => {
        if (message.type() === 'error') page.consoleErrors.push(message.text());
      });
      page.on('pageerror', (error) => page.consoleErrors.push(String(error)));
      page.on('response', (response) => {
        const request = response.request();
        if (request.resourceType() !== 'document' || request.frame() !== page.mainFrame()) return;
        if (response.status() >= 300 && response.status() < 400) return;
        documents.push({
          url: response.url(),
          status: response.status(),
          page,
          html: response.text().catch((error) => `<!-- body unavailable: ${error.message} -->`),
          checked: false,
        });
      });
      return page;
    },

    /**
     * Checks the page as it is now: the HTTP status of its document, no console error, no
     * sideways scrolling at any width of WIDTHS, zero axe violations (WCAG 2.1 A and AA). With
     * `screenshot: true`, axe runs at every width and the page is photographed at each. The HTML
     * is kept for the Nu HTML Checker.
     */
    async check(page, label, { status = 200, screenshot = false } = {}) {
      await page.waitForLoadState('load');
      const document = documents.findLast((d) => d.page === page);
      assert.ok(document, `${label}: no page loaded`);
      const withoutFragment = (url) => url.replace(/#.*$/, '');
      assert.equal(
        withoutFragment(document.url),
        withoutFragment(page.url()),
        `${label}: the page checked is the last one loaded`,
      );
      assert.equal(document.status, status, `${label}: HTTP status of ${document.url}`);
      document.checked = true;
      document.label = label;

      const errors = page.consoleErrors.filter(
        (text) => !(status >= 400 && text.includes(`status of ${status}`)),
      );
      assert.deepEqual(errors, [], `${label}: errors in the browser console`);
      page.consoleErrors.length = 0;

      // Every page is looked at in every width; axe runs at each width of a page photographed,
      // else at the usual one.
      const original = page.viewportSize();
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: HEIGHT });
        const where = `${label} (${document.url}, ${width} px wide)`;
        const overflow = await horizontalOverflow(page);
        assert.ok(overflow === '', `${where}: the page scrolls sideways (WCAG 1.4.10 reflow):\n${overflow}`);
        if (!screenshot && width !== original.width) continue;
        const violations = await axeViolations(page);
        assert.ok(violations === '', `${where}: axe found WCAG 2.1 A/AA violations:\n${violations}`);
        if (screenshot) {
          await page.screenshot({ path: join(ARTIFACTS, 'screenshots', `${label}-${width}.png`), fullPage: true });
        }
      }
      await page.setViewportSize(original);
    },

    /** Runs `action` (a click, a key press) and waits until the page it leads to has loaded. */
    async navigation(page, action) {
      await Promise.all([
        page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame() }),
        action(),
      ]);
      await page.waitForLoadState('load');
    },

    /** Clicks `locator` (a link, a button) and waits until the page it leads to has loaded. */
    click(page, locator) {
      return app.navigation(page, () => locator.click());
    },

    /** Waits for an e-mail to `address` that `matches`: { to, subject, text, html }. */
    email: (address, matches) => waitForEmail(server.mailDir, address, matches),

    /** Every e-mail to `address` that `matches`, now (no waiting), in no particular order. */
    emails: async (address, matches = () => true) =>
      (await readMailbox(server.mailDir)).filter(
        (mail) => mail.to.includes(address.toLowerCase()) && matches(mail),
      ),

    /** Runs a command of the server binary against the server's database (see server.js). */
    command: (args) => server.command(args),
  };

  describe(name, () => {
    before(async () => {
      rmSync(htmlDir, { recursive: true, force: true });
      mkdirSync(htmlDir, { recursive: true });
      mkdirSync(join(ARTIFACTS, 'screenshots'), { recursive: true });
      server = await startServer(options.env);
      browser = await startBrowser();
    });

    after(async () => {
      await browser?.close();
      await server?.stop();
    });

    body(app);

    test('every page visited was checked and passes the Nu HTML Checker', async () => {
      const unchecked = documents.filter((d) => !d.checked).map((d) => `${d.status} ${d.url}`);
      assert.deepEqual(unchecked, [], 'pages loaded but never checked with app.check()');

      const files = [];
      for (const [index, document] of documents.entries()) {
        const file = join(htmlDir, `${String(index + 1).padStart(2, '0')}-${document.label}.html`);
        writeFileSync(file, await document.html);
        files.push({ file, document });
      }
      const errors = await nuErrors(files.map((f) => f.file));
      const report = errors.map((error) => {
        const page = files.find((f) => f.file === error.file)?.document;
        return `  ${page?.label ?? error.file} (${page?.url ?? ''}) line ${error.line}: ${error.message}\n    ${error.extract ?? ''}`;
      });
      assert.ok(report.length === 0, `the Nu HTML Checker found errors:\n${report.join('\n')}`);
    });
  });
}
