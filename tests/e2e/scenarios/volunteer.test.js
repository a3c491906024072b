// A volunteer signs up, confirms the address, logs in and edits the profile; then a citizen's
// request nearby is opened for matching, and the volunteer accepts it from the e-mail's link;
// the citizen says the problem is solved and gives an opinion through the e-mail's link.
// The tests run in order and share the browser (so the volunteer's session).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { e2eSuite } from '../lib/suite.js';

const VOLUNTEER = 'marie.durand@example.org';
const PASSWORD = 'une phrase facile à retenir';
const CITIZEN = 'josette.leroy@example.org';

e2eSuite('volunteer', (app) => {
  test('the public volunteer pages: charter, login, forgotten password', async () => {
    const page = await app.newPage();
    await page.goto(app.url('/charte-benevole'));
    await app.check(page, 'charte-benevole', { screenshot: true });
    await page.goto(app.url('/connexion'));
    await app.check(page, 'connexion', { screenshot: true });
    await app.click(page, page.getByRole('link', { name: 'Mot de passe oublié ?' }));
    await app.check(page, 'mot-de-passe-oublie', { screenshot: true });
    await page.close();
  });

  test('a volunteer signs up, confirms the address from the e-mail, logs in and edits the profile', async () => {
    const page = await app.newPage();
    await page.goto(app.url('/benevole/inscription'));
    await app.check(page, 'benevole-inscription', { screenshot: true });

    await page.locator('#prenom').fill('Marie');
    await page.locator('#nom').fill('Durand');
    await page.locator('#commune').fill('75016');
    await page.locator('#rayon_km').fill('5');
    await page.locator('#modes-telephone').check();
    await page.locator('#categories-email').check();
    await page.locator('#max_demandes').fill('2');
    await page.locator('#disponibilites').fill('Le mercredi après-midi');
    await page.locator('#email').fill(VOLUNTEER);
    await page.locator('#password').fill(PASSWORD);
    await page.locator('#password_confirm').fill(PASSWORD);
    await page.locator('#charte').check();
    await app.click(page, page.getByRole('button', { name: 'Créer mon compte bénévole' }));
    await app.check(page, 'benevole-verifiez-email', { screenshot: true });
    await assertVisible(page, 'Vérifiez votre boîte e-mail');
    await assertVisible(page, VOLUNTEER);

    const email = await app.email(VOLUNTEER, (mail) => /\/verifier-email\//.test(mail.text));
    const link = email.text.match(/https?:\/\/\S+\/verifier-email\/[A-Za-z0-9_-]+/)?.[0];
    assert.ok(link?.startsWith(app.url('/verifier-email/')), `the e-mail carries the link:\n${email.text}`);
    await page.goto(link);
    await app.check(page, 'verifier-email', { screenshot: true });

    if (!new URL(page.url()).pathname.startsWith('/connexion')) {
      await page.goto(app.url('/connexion'));
      await app.check(page, 'connexion-apres-verification');
    }
    await page.getByLabel('Adresse e-mail', { exact: true }).fill(VOLUNTEER);
    await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
    await app.click(page, page.getByRole('button', { name: 'Se connecter' }));
    assert.equal(new URL(page.url()).pathname, '/benevole/profil');
    await app.check(page, 'benevole-profil', { screenshot: true });
    assert.equal(await page.locator('#prenom').inputValue(), 'Marie');
    assert.equal(await page.locator('#disponibilites').inputValue(), 'Le mercredi après-midi');
    assert.ok(await page.locator('#modes-telephone').isChecked());
    assert.ok(await page.locator('#categories-email').isChecked());

    await page.locator('#rayon_km').fill('8');
    await page.locator('#disponibilites').fill('Le samedi matin');
    await app.click(page, page.getByRole('button', { name: 'Enregistrer mon profil' }));
    assert.equal(new URL(page.url()).pathname, '/benevole/profil');
    await app.check(page, 'benevole-profil-enregistre');
    await assertVisible(page, 'Votre profil est enregistré.');
    assert.equal(await page.locator('#rayon_km').inputValue(), '8');
    assert.equal(await page.locator('#disponibilites').inputValue(), 'Le samedi matin');

    await page.reload();
    await app.check(page, 'benevole-profil-recharge');
    assert.equal(await page.locator('#disponibilites').inputValue(), 'Le samedi matin');
    await page.close();
  });

  test('a sign-up asked to choose a commune keeps the typed password', async () => {
    const page = await app.newPage();
    await page.goto(app.url('/benevole/inscription'));
    await app.check(page, 'benevole-inscription-2');
    await page.locator('#prenom').fill('Paul');
    await page.locator('#commune').fill('51300');
    await page.locator('#rayon_km').fill('5');
    await page.locator('#modes-telephone').check();
    await page.locator('#categories-email').check();
    await page.locator('#max_demandes').fill('1');
    await page.locator('#email').fill('paul.martin@example.org');
    await page.locator('#password').fill(PASSWORD);
    await page.locator('#password_confirm').fill(PASSWORD);
    await page.locator('#charte').check();
    await app.click(page, page.getByRole('button', { name: 'Créer mon compte bénévole' }));
    await app.check(page, 'benevole-inscription-choisir-commune', { status: 422, screenshot: true });
    await assertVisible(page, 'Choisissez votre commune dans la liste.');
    assert.equal(await page.locator('#password').inputValue(), PASSWORD, 'the password is kept');
    assert.equal(await page.locator('#password_confirm').inputValue(), PASSWORD);
    await page.locator('input[name="commune_insee"]').first().check();
    await app.click(page, page.getByRole('button', { name: 'Créer mon compte bénévole' }));
    await app.check(page, 'benevole-inscription-commune-choisie');
    await assertVisible(page, 'Vérifiez votre boîte e-mail');
    await page.close();
  });

  test('a citizen nearby asks for help; the volunteer accepts from the e-mail and gets the contact details', async () => {
    const citizen = await app.newPage();
    await citizen.goto(app.url('/demande'));
    await app.check(citizen, 'demande-paris');
    await citizen.getByLabel(/Utiliser une messagerie électronique/).check();
    await citizen.getByLabel('Par téléphone').check();
    await citizen.getByLabel('Votre commune').fill('75016');
    await citizen.getByLabel('6. Votre prénom').fill('Josette');
    await citizen.getByLabel('Adresse e-mail', { exact: true }).fill(CITIZEN);
    await citizen.getByLabel(/J'accepte que mes réponses/).check();
    await app.click(citizen, citizen.getByRole('button', { name: 'Envoyer ma demande' }));
    assert.match(citizen.url(), /\/suivi\/[0-9a-f]{64}\?bienvenue=1$/);
    await app.check(citizen, 'suivi-paris');
    const reference = (await citizen.locator('.reference').innerText()).trim();
    assert.match(reference, /^ENT-[2-9A-HJ-NP-Z]{6}$/);
    await citizen.close();

    app.command(['request', 'open', reference]);

    const proposal = await app.email(VOLUNTEER, (mail) => mail.subject.includes('pouvez-vous aider'));
    const link = proposal.text.match(/https?:\/\/\S+\/benevole\/propositions\/\d+/)?.[0];
    assert.ok(link?.startsWith(app.url('/benevole/propositions/')), `the e-mail carries the link:\n${proposal.text}`);

    const page = await app.newPage();
    await page.goto(link);
    await app.check(page, 'benevole-proposition', { screenshot: true });
    await assertVisible(page, 'Josette a besoin d');
    await assertVisible(page, 'Je ne peux pas');
    assert.ok(!(await page.content()).includes(CITIZEN), 'no contact details before accepting');

    await page.goto(app.url('/benevole/propositions'));
    await app.check(page, 'benevole-propositions', { screenshot: true });
    await app.click(page, page.locator(`a[href="${new URL(link).pathname}"]`).first());
    await app.check(page, 'benevole-proposition-2');

    await assertVisible(page, 'Dites-nous pourquoi');
    await assertVisible(page, 'Trop loin');
    await assertVisible(page, 'Langue');
    await app.click(page, page.getByRole('button', { name: "J'accepte" }));
    assert.equal(new URL(page.url()).pathname, '/benevole/demandes');
    await app.check(page, 'benevole-demandes', { screenshot: true });
    await assertVisible(page, 'Josette');
    await assertVisible(page, CITIZEN);

    // "Mon espace": the people helped, the requests proposed, the profile.
    await app.click(page, page.getByRole('link', { name: 'Mon espace', exact: true }));
    assert.equal(new URL(page.url()).pathname, '/benevole/espace');
    await app.check(page, 'benevole-espace', { screenshot: true });
    await assertVisible(page, "Les personnes que j'aide (1)");
    await assertVisible(page, 'Demandes proposées (0)');
    await assertVisible(page, 'Voir et modifier mon profil');

    // The answers that end one's part are well apart and ask for a confirmation.
    for (const width of [375, 1280]) {
      await page.setViewportSize({ width, height: 800 });
      const solved = await page.getByRole('link', { name: "C'est résolu" }).boundingBox();
      const giveBack = await page.getByRole('link', { name: 'Je ne peux plus aider' }).boundingBox();
      assert.ok(await gap(solved, giveBack) >= 16, `${width} px: the two answers are at least 16 px apart`);
    }
    await app.click(page, page.getByRole('link', { name: 'Je ne peux plus aider' }));
    await app.check(page, 'benevole-confirmer-rendre', { screenshot: true });
    await assertVisible(page, 'Vous ne pouvez plus aider Josette ?');
    await app.click(page, page.getByRole('link', { name: 'Non, je continue' }));
    await app.check(page, 'benevole-espace-retour');
    await app.click(page, page.getByRole('link', { name: "C'est résolu" }));
    await app.check(page, 'benevole-confirmer-resolue', { screenshot: true });
    await assertVisible(page, 'Le problème de Josette est-il résolu ?');
    const yes = await page.getByRole('button', { name: "Oui, c'est résolu" }).boundingBox();
    const no = await page.getByRole('link', { name: 'Non, revenir à mon espace' }).boundingBox();
    assert.ok(await gap(yes, no) >= 16, 'the confirmation and the way back are at least 16 px apart');
    await app.click(page, page.getByRole('link', { name: 'Non, revenir à mon espace' }));
    await app.check(page, 'benevole-espace-toujours');
    await assertVisible(page, "Les personnes que j'aide (1)");
    await page.close();

    const accepted = await app.email(CITIZEN, (mail) => mail.text.includes('a accepté de vous aider'));
    assert.match(accepted.text, /un bénévole, Marie, a accepté/);
    const followUp = await app.email(CITIZEN, (mail) => /\/suivi\/[0-9a-f]{64}/.test(mail.text));
    const followLink = followUp.text.match(/https?:\/\/\S+\/suivi\/[0-9a-f]{64}/)?.[0];
    assert.ok(followLink, `the citizen's e-mail carries the follow-up link:\n${followUp.text}`);
    const later = await app.newPage();
    await later.goto(followLink);
    await app.check(later, 'suivi-prise-en-charge', { screenshot: true });
    await assertVisible(later, 'Marie');
    await later.close();
  });

  test('the citizen says the problem is solved and gives an opinion from the e-mail', async () => {
    const followUp = await app.email(CITIZEN, (mail) => /\/suivi\/[0-9a-f]{64}/.test(mail.text));
    const followLink = followUp.text.match(/https?:\/\/\S+\/suivi\/[0-9a-f]{64}/)?.[0];
    const page = await app.newPage();
    await page.goto(followLink);
    await app.check(page, 'suivi-avant-resolution');
    await app.click(page, page.getByRole('link', { name: 'Mon problème est résolu' }));
    await app.check(page, 'suivi-confirmer-resolue');
    await app.click(page, page.getByRole('button', { name: 'Oui, mon problème est résolu' }));
    await app.check(page, 'suivi-resolue', { screenshot: true });
    await assertVisible(page, 'Donner mon avis');

    const resolved = await app.email(CITIZEN, (mail) => mail.subject.includes('Votre demande est résolue'));
    assert.match(resolved.text, /Marie/);
    const link = resolved.text.match(/https?:\/\/\S+\/avis\/[0-9a-f]{64}/)?.[0];
    assert.ok(link?.startsWith(app.url('/avis/')), `the e-mail carries the feedback link:\n${resolved.text}`);
    await page.goto(link);
    await app.check(page, 'avis', { screenshot: true });
    await page.getByLabel('Très satisfait(e)').check();
    await app.click(page, page.getByRole('button', { name: 'Envoyer mon avis' }));
    await app.check(page, 'avis-incomplet', { status: 422, screenshot: true });
    await assertVisible(page, 'le problème est-il réglé ?');
    assert.ok(await page.getByLabel('Très satisfait(e)').isChecked(), 'the form keeps what was chosen');
    await page.getByRole('group', { name: /Le problème est-il réglé/ }).getByLabel('Oui', { exact: true }).check();
    await page.getByLabel(/Voulez-vous ajouter quelque chose/).fill('Marie a été très patiente.');
    await app.click(page, page.getByRole('button', { name: 'Envoyer mon avis' }));
    await app.check(page, 'avis-merci', { screenshot: true });
    await assertVisible(page, 'Merci pour votre avis');
    await page.close();
  });
});

/** The distance in px between two boxes (0 when they touch or overlap). */
async function gap(a, b) {
  const dx = Math.max(0, Math.max(a.x, b.x) - Math.min(a.x + a.width, b.x + b.width));
  const dy = Math.max(0, Math.max(a.y, b.y) - Math.min(a.y + a.height, b.y + b.height));
  return Math.max(dx, dy);
}

/** Fails unless `text` is shown on the page. */
async function assertVisible(page, text) {
  const shown = page.getByText(text, { exact: false }).first();
  assert.ok(await shown.isVisible(), `"${text}" is shown on ${page.url()}`);
}
