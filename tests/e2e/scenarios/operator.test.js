// The operator's page: an admin opens "Santé du service" from the admin menu and reads every figure
// in its "ok" state; then an e-mail fails (the SMTP server of this run refuses every connection and
// one attempt is allowed) and the page shows the failures "à traiter" with what to do. Both states
// are audited (axe, reflow, Nu HTML Checker) and photographed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { e2eSuite } from '../lib/suite.js';

const ADMIN = 'operatrice@exemple.fr';
const PASSWORD = 'la phrase de Nadia';

e2eSuite(
  'operator',
  (app) => {
    test('an admin reads the health page, then sees a failed e-mail to act on', async () => {
      const out = app.command(['admin', 'create', '--email', ADMIN, '--prenom', 'Nadia']);
      const link = out.split(/\s+/).find((w) => w.includes('/invitation/'));
      const page = await app.newPage();
      await page.goto(link);
      await app.check(page, 'operateur-invitation');
      await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
      await page.getByLabel('Le même mot de passe, encore une fois').fill(PASSWORD);
      await app.click(page, page.getByRole('button', { name: 'Enregistrer et me connecter' }));
      await app.check(page, 'operateur-accueil');

      await app.click(page, page.getByRole('link', { name: 'Santé du service' }));
      await app.check(page, 'sante', { screenshot: true });
      await page.getByRole('heading', { level: 1, name: 'Santé du service' }).waitFor();
      assert.equal(await page.locator('.badge-priorite').count(), 0, 'nothing to act on yet');
      assert.ok(await page.getByRole('table', { name: 'Les tâches de fond de ce processus depuis son démarrage' }).isVisible());

      app.command(['mail', 'test', '--to', 'essai@example.org']);
      // The outbox worker tries at once and gives up (one attempt): wait for it without loading pages.
      for (let i = 0; i < 100; i += 1) {
        const html = await (await page.request.get(app.url('/admin/sante'))).text();
        if (html.includes('badge-priorite')) break;
        await page.waitForTimeout(100);
      }
      await page.goto(app.url('/admin/sante'));
      const failures = page.locator('section', { has: page.getByRole('heading', { name: "Échecs d'envoi des dernières 24 heures" }) });
      await app.check(page, 'sante-a-traiter', { screenshot: true });
      assert.ok(await failures.locator('.badge-priorite', { hasText: 'à traiter' }).isVisible(), 'the failure is to act on');
      assert.ok(await failures.getByRole('heading', { name: 'Que faire ?' }).isVisible());
      await app.click(page, failures.getByRole('link', { name: 'E-mails' }).first());
      await app.check(page, 'sante-vers-emails');
      assert.ok(await page.getByRole('button', { name: "Renvoyer l'e-mail en échec" }).isVisible());
      await page.getByLabel('Adresse e-mail ou référence (ENT-…)').fill('essai@example.org');
      await app.click(page, page.getByRole('button', { name: 'Chercher' }));
      await app.check(page, 'emails-recherche-echec', { screenshot: true });
      const found = page.getByRole('table', { name: /Les e-mails pour « essai@example.org »/ });
      assert.ok(await found.getByText('en échec').first().isVisible(), 'the state of the e-mail');
      await app.click(page, found.getByRole('button', { name: "Renvoyer l'e-mail à essai@example.org" }));
      await app.check(page, 'emails-renvoye');
      await page.close();
    });
  },
  { env: { SMTP_URL: 'smtp://127.0.0.1:9', MAIL_MAX_ATTEMPTS: '1' } },
);
