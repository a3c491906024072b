// The citizen form with the keyboard alone: Tab, Space, arrows, typing and Enter, never a click.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasFocus, tab, tabTo } from '../lib/keyboard.js';
import { e2eSuite } from '../lib/suite.js';

e2eSuite('keyboard', (app) => {
  test('a citizen fills the form with the keyboard alone and chooses among the communes of 51300', async () => {
    const page = await app.newPage();
    await page.goto(app.url('/demande'));
    await app.check(page, 'clavier-demande');

    // The first Tab shows the skip link; Enter jumps to the content.
    assert.match(await tab(page), /Aller au contenu/);
    await page.keyboard.press('Enter');
    assert.ok(await hasFocus(page, 'main#contenu'), 'the skip link moves the focus to the content');

    await tabTo(page, '#categorie-demarches');
    await page.keyboard.press('Space');
    await tabTo(page, '#categorie-sante');
    await page.keyboard.press('Space');
    await tabTo(page, '#description');
    await page.keyboard.type("Je n'arrive pas à prendre rendez-vous sur Doctolib.");
    await tabTo(page, '#mode-telephone');
    await page.keyboard.press('Space');
    await tabTo(page, '#commune');
    await page.keyboard.type('51300');
    await tabTo(page, '#prenom');
    await page.keyboard.type('Gisèle');
    await tabTo(page, '#telephone');
    await page.keyboard.type('03 26 12 34 56');
    await tabTo(page, '#consentement');
    await page.keyboard.press('Space');
    await tabTo(page, 'form[action="/demande"] button[type="submit"]');
    await app.navigation(page, () => page.keyboard.press('Enter'));

    // Several communes share 51300: the page asks which one, keeping every answer.
    await app.check(page, 'clavier-choix-commune', { status: 422, screenshot: true });
    assert.ok(await page.getByText('Plusieurs communes ont le code postal 51300').first().isVisible());
    assert.ok(await page.locator('#categorie-demarches').isChecked());
    assert.ok(await page.locator('#consentement').isChecked());
    assert.equal(await page.locator('#prenom').inputValue(), 'Gisèle');

    // The error summary's link leads to the field; the choice follows it.
    await tabTo(page, '#resume-erreurs a[href="#commune"]');
    await page.keyboard.press('Enter');
    assert.ok(await hasFocus(page, '#commune'), 'the error link moves the focus to the field');
    await tab(page);
    assert.ok(await hasFocus(page, 'input[type="radio"][name="commune_insee"]'), 'Tab reaches the choice');
    for (let presses = 0; presses < 50 && !(await hasFocus(page, '[value="51649"]')); presses++) {
      await page.keyboard.press('ArrowDown');
    }
    assert.ok(await hasFocus(page, '[value="51649"]'), 'the arrows reach Vitry-le-François');
    await page.keyboard.press('Space');
    assert.ok(await page.locator('input[name="commune_insee"][value="51649"]').isChecked());
    await tabTo(page, 'form[action="/demande"] button[type="submit"]');
    await app.navigation(page, () => page.keyboard.press('Enter'));

    assert.match(page.url(), /\/suivi\/[0-9a-f]{64}\?bienvenue=1$/);
    await app.check(page, 'clavier-suivi');
    assert.ok(await page.getByText('Votre demande est bien enregistrée').isVisible());
    assert.ok(await page.getByText('Vitry-le-François').first().isVisible());

    // The follow-up page too can be gone through with Tab.
    await tabTo(page, 'main a[href$="/annuler"]');
    await page.close();
  });
});
