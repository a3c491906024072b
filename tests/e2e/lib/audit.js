// The checks run on every page the suite visits: axe-core with the WCAG 2.1 A and AA rules, and
// the Nu HTML Checker on the HTML the server sent.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const VNU_JAR = String(require('vnu-jar'));

/** The axe rule sets checked: RGAA follows WCAG 2.1 AA. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Runs axe on the page as it is now and returns its violations, as readable text (empty when
 * there are none). axe is evaluated through the DevTools protocol, so the site's
 * Content-Security-Policy (no inline scripts) stays on.
 */
export async function axeViolations(page) {
  const loaded = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(
    (tags) =>
      window.axe
        .run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
        .then((results) =>
          results.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            helpUrl: v.helpUrl,
            nodes: v.nodes.map((n) => ({
              target: n.target.join(' '),
              html: n.html,
              summary: n.failureSummary,
            })),
          })),
        ),
    WCAG_TAGS,
  );
  return violations
    .map((v) =>
      [
        `  rule ${v.id} (${v.impact}): ${v.help}`,
        `    ${v.helpUrl}`,
        ...v.nodes.map(
          (n) =>
            `    element ${n.target}\n      ${n.html}\n      ${(n.summary ?? '').replace(/\n/g, '\n      ')}`,
        ),
      ].join('\n'),
    )
    .join('\n');
}

/**
 * Whether the page is wider than the window (a person would have to scroll sideways, which WCAG
 * 1.4.10 "Reflow" rules out): empty if not, else the elements that stick out.
 */
export async function horizontalOverflow(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return '';
    const sticksOut = (element) =>
      element.getBoundingClientRect().right > width + 0.5 ||
      (element.clientWidth > 0 && element.scrollWidth > element.clientWidth + 1);
    const culprits = [...document.body.querySelectorAll('*')]
      .filter(sticksOut)
      .filter((element) => ![...element.children].some(sticksOut))
      .slice(0, 5)
      .map((element) => `    ${element.outerHTML.slice(0, 160)}`);
    return `  page ${document.documentElement.scrollWidth} px wide in a ${width} px window\n${culprits.join('\n')}`;
  });
}

/**
 * Runs the Nu HTML Checker once over `files` (paths of saved HTML documents) and returns its
 * errors as { file, line, column, message, extract }.
 */
export async function nuErrors(files) {
  if (files.length === 0) return [];
  let output;
  try {
    const result = await promisify(execFile)(
      'java',
      [
        // A quick start for a short run; the schema needs a deep stack (vnu's own advice).
        '-Xss4m',
        '-XX:+UseSerialGC',
        '-XX:TieredStopAtLevel=1',
        '-jar',
        VNU_JAR,
        '--errors-only',
        '--exit-zero-always',
        '--format',
        'json',
        ...files,
      ],
      { maxBuffer: 64 * 1024 * 1024 },
    );
    output = result.stderr || result.stdout;
  } catch (error) {
    throw new Error(`the Nu HTML Checker could not run: ${error.message}`);
  }
  let messages;
  try {
    ({ messages } = JSON.parse(output));
  } catch {
    throw new Error(`the Nu HTML Checker did not answer in JSON:\n${output.slice(0, 2000)}`);
  }
  return messages
    .filter((m) => m.type === 'error' || m.subType === 'fatal' || m.type === 'non-document-error')
    .map((m) => ({
      file: decodeURIComponent(String(m.url ?? '').replace(/^file:/, '')),
      line: m.lastLine,
      column: m.firstColumn ?? m.lastColumn,
      message: m.message,
      extract: m.extract,
    }));
}
