// The public statistics in their states: before any request (nothing published), then, after six
// requests in the Marne and the nightly roll-up (`entraide statistics`), for France with the map of
// the share without volunteer, for the Marne, and with the map by requests per 10,000 inhabitants.
// Each state is audited (axe, reflow, Nu HTML Checker) and photographed at 375 and 1280 px.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { e2eSuite } from '../lib/suite.js';

e2eSuite(
  'statistics',
  (app) => {
    test('a visitor reads the statistics before and after requests are counted', async () => {
      const page = await app.newPage();
      await page.goto(app.url('/statistiques'));
      await app.check(page, 'statistiques-vide', { screenshot: true });
      await page.getByRole('heading', { level: 1, name: "Statistiques d'Entraide" }).waitFor();
      assert.ok(await page.getByText('Aucune demande publiée pour ce territoire et cette période.').isVisible());

      for (let n = 0; n < 6; n += 1) {
        await page.goto(app.url('/demande'));
        await app.check(page, `statistiques-demande-${n}`);
        await page.getByLabel(/Faire une démarche administrative en ligne/).check();
        if (n % 2 === 0) await page.getByLabel(/Santé en ligne/).check();
        await page.getByLabel('Par téléphone').check();
        await page.getByLabel('Votre commune').fill('51100');
        await page.getByLabel('6. Votre prénom').fill('Lucienne');
        await page.getByLabel('Numéro de téléphone').fill('03 26 12 34 56');
        await page.getByLabel(/J'accepte que mes réponses/).check();
        await app.click(page, page.getByRole('button', { name: 'Envoyer ma demande' }));
        await app.check(page, `statistiques-suivi-${n}`);
        assert.match(page.url(), /\/suivi\//);
      }
      app.command(['statistics']);

      await page.goto(app.url('/statistiques'));
      await app.check(page, 'statistiques-france', { screenshot: true });
      const received = page.locator('.chiffres-cles li', { hasText: 'Demandes reçues' }).locator('.valeur');
      assert.equal(await received.innerText(), '6');
      assert.ok(await page.getByRole('img', { name: /Demandes reçues et résolues par mois/ }).isVisible());
      assert.ok(await page.getByRole('img', { name: /Carte des départements/ }).isVisible());

      await page.getByLabel('Territoire', { exact: true }).selectOption('51');
      await app.click(page, page.getByRole('button', { name: 'Afficher' }));
      await app.check(page, 'statistiques-marne', { screenshot: true });
      await page.getByRole('heading', { name: /^Marne \(51\)/ }).waitFor();
      await page.getByText('Voir les chiffres de chaque département (tableau)').click();
      assert.ok(await page.getByRole('row', { name: /Marne \(51\) 6/ }).isVisible());

      await page.getByLabel('La carte montre').selectOption('taux');
      await app.click(page, page.getByRole('button', { name: 'Afficher' }));
      await app.check(page, 'statistiques-carte-taux', { screenshot: true });
      await page.getByRole('heading', { name: 'Carte : demandes pour 10 000 habitants' }).waitFor();

      const csv = await (await page.request.get(app.url('/statistiques/donnees.csv'))).text();
      assert.match(csv.split('\n')[0], /^mois,departement,departement_nom,categorie,secret_statistique,/);
      assert.match(csv, /,51,Marne,toutes,false,6,/);
      await page.close();
    });
  },
  { env: { REQUESTS_PER_IP_PER_HOUR: '50', REQUEST_FORM_MIN_SECONDS: '0' } },
);
