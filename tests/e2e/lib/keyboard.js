// Moving through a page with the keyboard alone, checking at every step that a person can see
// where the focus is.
import assert from 'node:assert/strict';

/** What has the focus now, and how it is drawn. */
function focused(page) {
  return page.evaluate(() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    const rect = element.getBoundingClientRect();
    return {
      description: element === document.body ? 'body' : element.outerHTML.slice(0, 120),
      focusVisible: element.matches(':focus-visible'),
      outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
      ring: style.boxShadow !== 'none',
      onScreen: rect.width > 0 && rect.height > 0 && rect.bottom > 0 && rect.right > 0 &&
        rect.top < window.innerHeight && rect.left < window.innerWidth,
    };
  });
}

/**
 * Presses Tab and checks that the element reached shows a visible focus indicator (the
 * :focus-visible outline of site.css) and is on screen; returns its description.
 */
export async function tab(page) {
  await page.keyboard.press('Tab');
  const now = await focused(page);
  assert.ok(now.focusVisible, `the focus on ${now.description} matches :focus-visible`);
  assert.ok(now.outline || now.ring, `the focus on ${now.description} is drawn (outline or ring)`);
  assert.ok(now.onScreen, `${now.description}, which has the focus, is scrolled into view`);
  return now.description;
}

/** Presses Tab (at most 100 times) until the element matching `selector` has the focus. */
export async function tabTo(page, selector) {
  const path = [];
  for (let presses = 0; presses < 100; presses++) {
    path.push(await tab(page));
    if (await page.evaluate((s) => document.activeElement.matches(s), selector)) return;
  }
  assert.fail(`Tab never reached ${selector}; it went through:\n${path.join('\n')}`);
}

/** Whether the element matching `selector` has the focus. */
export function hasFocus(page, selector) {
  return page.evaluate((s) => document.activeElement.matches(s), selector);
}
