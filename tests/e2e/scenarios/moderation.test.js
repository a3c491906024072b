// Moderation end to end: an admin created from the command line sets up an organisation for Paris
// and invites a moderator; a volunteer signs up and a citizen in Paris asks for help; the moderator
// accepts the invitation, finds the request in the queue and validates it, and matching proposes
// it to the volunteer. Every page is audited (axe, reflow, Nu HTML Checker), many photographed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { e2eSuite } from '../lib/suite.js';

const ADMIN = 'chef@exemple.fr';
const MODERATOR = 'julie@exemple.fr';
const VOLUNTEER = 'paul.martin@example.org';
const CITIZEN = 'gisele.bernard@example.org';
const PASSWORD = 'une phrase facile à retenir';

e2eSuite('moderation', (app) => {
  let reference;

  test('an admin created from the command line sets up an organisation for Paris and invites a moderator', async () => {
    const out = app.command(['admin', 'create', '--email', ADMIN, '--prenom', 'Claire']);
    const link = out.split(/\s+/).find((w) => w.includes('/invitation/'));
    const page = await app.newPage();
    await page.goto(link);
    await app.check(page, 'invitation', { screenshot: true });
    await page.getByLabel('Mot de passe', { exact: true }).fill('court');
    await page.getByLabel('Le même mot de passe, encore une fois').fill('court');
    await app.click(page, page.getByRole('button', { name: 'Enregistrer et me connecter' }));
    await app.check(page, 'invitation-erreur', { status: 422, screenshot: true });
    await page.getByLabel('Mot de passe', { exact: true }).fill('la phrase de Claire');
    await page.getByLabel('Le même mot de passe, encore une fois').fill('la phrase de Claire');
    await app.click(page, page.getByRole('button', { name: 'Enregistrer et me connecter' }));
    await app.check(page, 'admin-accueil', { screenshot: true });
    await app.click(page, page.getByRole('link', { name: 'Gérer les organisations' }));
    await app.check(page, 'organisations-vide', { screenshot: true });
    await app.click(page, page.getByRole('link', { name: 'Créer une organisation' }));
    await app.check(page, 'organisation-nouvelle', { screenshot: true });
    await page.getByLabel('Ou ces départements').fill('51, 99');
    await app.click(page, page.getByRole('button', { name: "Créer l'organisation" }));
    await app.check(page, 'organisation-erreurs', { status: 422, screenshot: true });
    await page.getByLabel("Nom de l'organisation").fill('Paris Numérique');
    await page.getByLabel('Adresse e-mail de contact').fill('contact@paris-numerique.example');
    await page.getByLabel('Ou ces départements').fill('75');
    await app.click(page, page.getByRole('button', { name: "Créer l'organisation" }));
    await app.check(page, 'organisations', { screenshot: true });
    await app.click(page, page.getByRole('link', { name: 'Modifier Paris Numérique' }));
    await app.check(page, 'organisation-modifier', { screenshot: true });
    await app.click(page, page.getByRole('link', { name: 'Désactiver « Paris Numérique »…' }));
    await app.check(page, 'organisation-desactiver-confirmation', { screenshot: true });
    await assertApart(page, 'Oui, désactiver « Paris Numérique »', 'Non, revenir en arrière');
    await app.click(page, page.getByRole('button', { name: 'Oui, désactiver « Paris Numérique »' }));
    await app.check(page, 'organisations-desactivee', { screenshot: true });
    await app.click(page, page.getByRole('button', { name: 'Réactiver Paris Numérique' }));
    await app.check(page, 'organisations-reactivee');
    await app.click(page, page.getByRole('link', { name: 'Inviter un modérateur pour Paris Numérique' }));
    await app.check(page, 'moderateurs-vide', { screenshot: true });
    await app.click(page, page.getByRole('button', { name: "Envoyer l'invitation" }));
    await app.check(page, 'moderateurs-erreurs', { status: 422, screenshot: true });
    await page.getByLabel('Prénom').fill('Julie');
    await page.getByLabel('Adresse e-mail', { exact: true }).fill(MODERATOR);
    await page.getByLabel('Organisation').selectOption({ label: 'Paris Numérique' });
    await app.click(page, page.getByRole('button', { name: "Envoyer l'invitation" }));
    await app.check(page, 'moderateurs', { screenshot: true });
    await app.click(page, page.getByRole('button', { name: "Renvoyer l'invitation à Julie" }));
    await app.check(page, 'moderateurs-invitation-renvoyee');
    await assertVisible(page, "L'invitation est renvoyée");
    await app.click(page, page.getByRole('link', { name: 'E-mails' }));
    await app.check(page, 'emails', { screenshot: true });
    await page.getByLabel('Adresse e-mail ou référence (ENT-…)').fill('julie@');
    await app.click(page, page.getByRole('button', { name: 'Chercher' }));
    await app.check(page, 'emails-recherche', { screenshot: true });
    assert.ok(await page.getByRole('table', { name: /Les e-mails pour « julie@ »/ }).getByText(MODERATOR).first().isVisible());
    await app.click(page, page.getByRole('link', { name: 'Journal' }));
    await app.check(page, 'journal', { screenshot: true });
    assert.ok(await page.locator('table').getByText('Organisation créée').first().isVisible(), 'the journal lists the creation');
    await page.goto(app.url('/admin/journal?du=2026-13-01'));
    await app.check(page, 'journal-erreur', { status: 422, screenshot: true });
    await page.goto(app.url('/invitation/abc'));
    await app.check(page, 'invitation-inconnue', { status: 404, screenshot: true });
    await page.goto(app.url('/admin/moderateurs'));
    await app.check(page, 'moderateurs-retour');
    await app.click(page, page.getByRole('link', { name: /Retirer Julie de Paris Numérique/ }));
    await app.check(page, 'moderateur-retirer-confirmation', { screenshot: true });
    await assertApart(page, 'Oui, retirer Julie', 'Non, revenir en arrière');
    await app.click(page, page.getByRole('link', { name: 'Non, revenir en arrière' }));
    await app.check(page, 'moderateurs-apres-annulation');
    await app.click(page, page.getByRole('button', { name: 'Se déconnecter' }));
    await app.check(page, 'accueil');
    await page.close();
  });

  test('a volunteer signs up in Paris, and a citizen in Paris asks for help', async () => {
    const page = await app.newPage();
    await page.goto(app.url('/benevole/inscription'));
    await app.check(page, 'benevole-inscription');
    await page.locator('#prenom').fill('Paul');
    await page.locator('#commune').fill('75016');
    await page.locator('#rayon_km').fill('5');
    await page.locator('#modes-telephone').check();
    await page.locator('#categories-email').check();
    await page.locator('#email').fill(VOLUNTEER);
    await page.locator('#password').fill(PASSWORD);
    await page.locator('#password_confirm').fill(PASSWORD);
    await page.locator('#charte').check();
    await app.click(page, page.getByRole('button', { name: 'Créer mon compte bénévole' }));
    await app.check(page, 'benevole-verifiez-email');
    const email = await app.email(VOLUNTEER, (mail) => /\/verifier-email\//.test(mail.text));
    await page.goto(email.text.match(/https?:\/\/\S+\/verifier-email\/[A-Za-z0-9_-]+/)[0]);
    await app.check(page, 'verifier-email');

    await page.goto(app.url('/demande'));
    await app.check(page, 'demande');
    await page.getByLabel(/Utiliser une messagerie électronique/).check();
    await page.getByLabel('Par téléphone').check();
    await page.getByLabel('Votre commune').fill('75016');
    await page.getByLabel('6. Votre prénom').fill('Gisèle');
    await page.getByLabel('Adresse e-mail', { exact: true }).fill(CITIZEN);
    await page.getByLabel(/J'accepte que mes réponses/).check();
    await app.click(page, page.getByRole('button', { name: 'Envoyer ma demande' }));
    await app.check(page, 'suivi');
    reference = (await page.locator('.reference').innerText()).trim();
    assert.match(reference, /^ENT-[2-9A-HJ-NP-Z]{6}$/);
    await page.close();
  });

  test('the invited moderator validates the request from the queue; matching proposes it to the volunteer', async () => {
    // The invitation was sent twice (« Renvoyer l'invitation »): only the latest link works.
    await app.email(MODERATOR, (mail) => mail.text.includes('/invitation/'));
    const links = (await app.emails(MODERATOR, (mail) => mail.text.includes('/invitation/'))).map(
      (mail) => mail.text.match(/https?:\/\/\S+\/invitation\/\S+/)[0],
    );
    assert.equal(links.length, 2, 'the first invitation and the one sent again');
    const probe = await app.newPage();
    let link;
    for (const candidate of links) {
      const answer = await probe.request.get(candidate);
      if (answer.status() === 200 && (await answer.text()).includes('Enregistrer et me connecter')) link = candidate;
    }
    await probe.close();
    assert.ok(link, 'one invitation link still works');
    assert.deepEqual(
      await app.emails(MODERATOR, (mail) => mail.text.includes(reference)),
      [],
      'no new-request e-mail before the moderator chose a password',
    );

    const page = await app.newPage();
    await page.goto(link);
    await app.check(page, 'invitation-moderateur', { screenshot: true });
    await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Le même mot de passe, encore une fois').fill(PASSWORD);
    await app.click(page, page.getByRole('button', { name: 'Enregistrer et me connecter' }));
    assert.equal(new URL(page.url()).pathname, '/moderation');
    await app.check(page, 'moderation-file', { screenshot: true });

    assert.ok(await page.locator('tr', { hasText: reference }).getByText('Gisèle').isVisible(), 'the row names the person');
    await app.click(page, page.getByRole('link', { name: reference }));
    await app.check(page, 'moderation-demande', { screenshot: true });
    assert.ok(await page.getByRole('button', { name: 'Valider la demande' }).isVisible(), 'the actions come first');
    assert.ok(!(await page.getByLabel('Message à la personne (facultatif)').isVisible()), 'the refusal is folded');
    await assertVisible(page, CITIZEN);
    await page.getByLabel(/Note/).first().fill('Appelée le lundi : préfère le matin.');
    await app.click(page, page.getByRole('button', { name: 'Ajouter la note' }));
    await app.check(page, 'moderation-demande-note');
    await assertVisible(page, 'préfère le matin');

    await app.click(page, page.getByRole('button', { name: 'Valider la demande' }));
    await app.check(page, 'moderation-demande-validee', { screenshot: true });
    await assertVisible(page, "Recherche d'un bénévole");
    await assertVisible(page, 'Paul');

    const proposal = await app.email(VOLUNTEER, (mail) => mail.subject.includes('pouvez-vous aider'));
    assert.match(proposal.text, /\/benevole\/propositions\/\d+/);
    assert.ok(!proposal.text.includes(CITIZEN), 'no contact details in the proposal');

    await app.click(page, page.getByRole('link', { name: 'Bénévoles', exact: true }));
    await app.check(page, 'moderation-benevoles', { screenshot: true });
    await app.click(page, page.getByRole('link', { name: /Paul/ }).first());
    await app.check(page, 'moderation-benevole', { screenshot: true });
    await app.click(page, page.getByRole('link', { name: 'Préférences', exact: true }));
    await app.check(page, 'moderation-preferences', { screenshot: true });
    await page.goto(app.url('/moderation/demandes/nouvelle'));
    await app.check(page, 'moderation-nouvelle-demande', { screenshot: true });
    await app.click(page, page.getByRole('button', { name: 'Enregistrer et valider' }));
    await app.check(page, 'moderation-nouvelle-demande-erreurs', { status: 422, screenshot: true });
    await assertVisible(page, 'Indiquez le prénom de la personne.');
    await page.getByLabel(/Utiliser une messagerie électronique/).check();
    await page.getByLabel('Par téléphone').check();
    await page.getByLabel('Commune de la personne').fill('75016');
    await page.getByLabel('Le prénom de la personne (obligatoire)').fill('Raymonde');
    await page.getByLabel('Numéro de téléphone').fill('01 45 00 00 00');
    await page.getByLabel(/La personne a donné son accord/).check();
    await app.click(page, page.getByRole('button', { name: 'Enregistrer sans valider' }));
    await app.check(page, 'moderation-demande-saisie', { screenshot: true });
    await assertVisible(page, 'En attente de validation');
    await app.click(page, page.getByRole('button', { name: "J'ai rappelé la personne" }));
    await app.check(page, 'moderation-demande-rappelee');
    await assertVisible(page, 'la personne a été rappelée');

    await page.goto(app.url('/moderation'));
    await app.check(page, 'moderation-file-a-valider', { screenshot: true });
    await page.getByText(/^Choisir ENT-/).first().click();
    await app.click(page, page.getByRole('button', { name: 'Valider les demandes cochées' }));
    await app.check(page, 'moderation-file-validees', { screenshot: true });
    await assertVisible(page, 'est validée');
    await page.goto(app.url('/moderation?rappel=oui'));
    await app.check(page, 'moderation-file-a-rappeler', { screenshot: true });

    await page.goto(app.url('/moderation/statistiques'));
    await app.check(page, 'moderation-statistiques', { screenshot: true });
    await page.getByRole('heading', { level: 1, name: 'Statistiques de mon association' }).waitFor();
    await page.close();
  });
});

/** Fails unless the two controls named `first` and `second` stand at least 16 px apart. */
async function assertApart(page, first, second) {
  const a = await page.getByText(first, { exact: true }).first().boundingBox();
  const b = await page.getByText(second, { exact: true }).first().boundingBox();
  const gapX = Math.max(b.x - (a.x + a.width), a.x - (b.x + b.width));
  const gapY = Math.max(b.y - (a.y + a.height), a.y - (b.y + b.height));
  assert.ok(Math.max(gapX, gapY) >= 16, `"${first}" and "${second}" stand ${Math.max(gapX, gapY)} px apart`);
}

/** Fails unless `text` is shown on the page. */
async function assertVisible(page, text) {
  const shown = page.getByText(text, { exact: false }).first();
  assert.ok(await shown.isVisible(), `"${text}" is shown on ${page.url()}`);
}
