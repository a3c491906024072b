// Every public page, as a visitor meets it: each is audited (axe, reflow, Nu HTML Checker) and
// photographed at 375 and 1280 px wide.
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { axeViolations, nuErrors } from '../lib/audit.js';
import { e2eSuite } from '../lib/suite.js';

/** [screenshot name, path, expected status, a text the page shows]. */
const PAGES = [
  ['accueil', '/', 200, 'Un coup de main avec le numérique'],
  ['demande', '/demande', 200, "Demander de l'aide"],
  ['confidentialite', '/confidentialite', 200, 'données'],
  ['commune', '/commune', 200, 'Trouver ma commune'],
  ['commune-51300', '/commune?commune=51300', 200, 'choisissez la vôtre'],
  ['commune-retenue', '/commune?commune=51300&commune_insee=51649', 200, 'Vitry-le-François'],
  ['commune-inconnue', '/commune?commune=99999', 200, 'Trouver ma commune'],
  ['page-introuvable', '/cette-page-n-existe-pas', 404, "Code de l'erreur : 404"],
  // Issue 20: a dead follow-up link says what it means and what to do, not an error code.
  ['suivi-introuvable', `/suivi/${'0'.repeat(64)}`, 404, 'Ce lien de suivi ne fonctionne pas'],
];

e2eSuite('pages', (app) => {
  for (const [name, path, status, text] of PAGES) {
    test(`${path} (${status})`, async () => {
      const page = await app.newPage();
      await page.goto(app.url(path));
      await app.check(page, name, { status, screenshot: true });
      assert.ok(
        await page.getByText(text, { exact: false }).first().isVisible(),
        `"${text}" is shown on ${path}`,
      );
      await page.close();
    });
  }

  test('the form sent empty lists its errors, each linking to its field', async () => {
    const page = await app.newPage();
    await page.goto(app.url('/demande'));
    await app.check(page, 'demande-vide-avant');
    await app.click(page, page.getByRole('button', { name: 'Envoyer ma demande' }));
    await app.check(page, 'demande-erreurs', { status: 422, screenshot: true });
    const summary = page.locator('#resume-erreurs');
    assert.match(await summary.getByRole('heading').innerText(), /informations sont à corriger/);
    for (const link of await summary.getByRole('link').all()) {
      const target = (await link.getAttribute('href')).slice(1);
      assert.equal(await page.locator(`[id="${target}"]`).count(), 1, `the error link #${target} has its field`);
    }
    await page.close();
  });

  test('the larger text stays readable on a phone', async () => {
    const page = await app.newPage();
    await page.goto(app.url('/demande'));
    await app.check(page, 'demande-avant-agrandir');
    await app.click(page, page.getByRole('button', { name: 'Agrandir le texte' }));
    assert.equal(page.url(), app.url('/demande'));
    await app.check(page, 'demande-texte-grand', { screenshot: true });
    assert.equal(await page.locator('html.texte-grand').count(), 1);
    await page.goto(app.url('/'));
    await app.check(page, 'accueil-texte-grand', { screenshot: true });
    await app.click(page, page.getByRole('button', { name: 'Texte de taille normale' }));
    assert.equal(page.url(), app.url('/'));
    await app.check(page, 'accueil-texte-normal');
    assert.equal(await page.locator('html.texte-grand').count(), 0);
    await page.close();
  });

  test('typing in the commune field suggests communes (the script only adds suggestions)', async () => {
    const page = await app.newPage();
    await page.goto(app.url('/commune'));
    await app.check(page, 'commune-suggestions');
    await page.getByLabel('Votre commune').pressSequentially('Vitry-le-Fr');
    const option = page.locator('#commune-suggestions option[value="51300 Vitry-le-François"]');
    await option.waitFor({ state: 'attached', timeout: 5_000 });
    assert.equal(await option.getAttribute('label'), 'Département 51');
    await page.close();
  });

  test('the audit tools do find problems (a deliberately faulty page)', async () => {
    const faulty =
      '<!DOCTYPE html><html><head><title>x</title></head><body>' +
      '<img src="data:,"><p style="color:#bbb;background:#fff">pâle</p><input type="text"></body></html>';
    const page = await app.newPage();
    await page.setContent(faulty);
    const violations = await axeViolations(page);
    for (const rule of ['image-alt', 'color-contrast', 'label', 'html-has-lang']) {
      assert.match(violations, new RegExp(`rule ${rule} `), `axe reports ${rule}`);
    }
    await page.close();
    const dir = mkdtempSync(join(tmpdir(), 'entraide-e2e-vnu-'));
    try {
      writeFileSync(join(dir, 'faulty.html'), faulty);
      const errors = await nuErrors([join(dir, 'faulty.html')]);
      assert.ok(errors.some((e) => /alt/.test(e.message)), JSON.stringify(errors));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
