// A citizen asks for help with the public form, then follows the request.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { e2eSuite } from '../lib/suite.js';

const REFERENCE = /ENT-[2-9A-HJ-NP-Z]{6}/;

e2eSuite('citizen', (app) => {
  test('a citizen with a telephone only files a request and sees its reference', async () => {
    const page = await app.newPage();
    await page.goto(app.url('/'));
    await app.check(page, 'accueil');
    await app.click(page, page.getByRole('link', { name: "J'ai besoin d'aide" }).first());
    await app.check(page, 'demande');

    await page.getByLabel(/Prendre en main un ordinateur/).check();
    await page.getByLabel(/Garder le contact avec mes proches/).check();
    await page.getByLabel('Par téléphone').check();
    await page.getByLabel('En personne, près de chez moi').check();
    await page.getByLabel('Votre commune').fill('20000');
    await page.getByLabel('6. Votre prénom').fill('Marcel');
    await page.getByLabel('Numéro de téléphone').fill('04 95 12 34 56');
    await page.getByLabel(/J'accepte que mes réponses/).check();
    await app.click(page, page.getByRole('button', { name: 'Envoyer ma demande' }));

    assert.match(page.url(), /\/suivi\/[0-9a-f]{64}\?bienvenue=1$/);
    await app.check(page, 'suivi-bienvenue', { screenshot: true });
    await assertVisible(page, 'Votre demande est bien enregistrée');
    const reference = await page.locator('.reference').innerText();
    assert.match(reference, new RegExp(`^${REFERENCE.source}$`));
    await assertVisible(page, 'En attente de validation');
    await assertVisible(page, 'Ajaccio');
    await assertVisible(page, 'Marcel');
    await assertVisible(page, 'il vous contacte (04 95 12 34 56)');
    await assertVisible(page, "Vous n'avez rien à faire");
    assert.ok(await page.getByRole('button', { name: 'Imprimer cette page' }).isVisible());

    // The way back without e-mail: the reference and the last four digits of the telephone.
    const back = await app.newPage();
    await back.goto(app.url('/suivi'));
    await app.check(back, 'retrouver', { screenshot: true });
    await back.getByLabel('Numéro de demande').fill('ENT-ZZZZZZ');
    await back.getByLabel('Les 4 derniers chiffres de votre téléphone').fill('3456');
    await app.click(back, back.getByRole('button', { name: 'Voir ma demande' }));
    await app.check(back, 'retrouver-erreur', { status: 422 });
    await assertVisible(back, "Nous n'avons pas trouvé de demande");
    await back.getByLabel('Numéro de demande').fill(reference.toLowerCase());
    await back.getByLabel('Les 4 derniers chiffres de votre téléphone').fill('3456');
    await app.click(back, back.getByRole('button', { name: 'Voir ma demande' }));
    assert.match(back.url(), /\/suivi\/[0-9a-f]{64}$/);
    await app.check(back, 'suivi-retrouve');
    await assertVisible(back, `Ma demande ${reference}`);

    // A follow-up link that leads nowhere says what to do.
    await back.goto(app.url(`/suivi/${'ab'.repeat(32)}`));
    await app.check(back, 'lien-inconnu', { status: 404, screenshot: true });
    await assertVisible(back, 'Ce lien de suivi ne fonctionne pas');
    await back.close();
    await page.close();
  });

  test('on a phone, the home page shows "J\'ai besoin d\'aide" within the first screen', async () => {
    const page = await app.newPage();
    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto(app.url('/'));
    await app.check(page, 'accueil-telephone', { screenshot: true });
    const button = page.getByRole('link', { name: "J'ai besoin d'aide" }).first();
    const box = await button.boundingBox();
    assert.ok(box && box.y + box.height <= 812, `the button is within the first screen: ${JSON.stringify(box)}`);
    const menu = await page.locator('.menu').boundingBox();
    assert.ok(menu.height < 120, `a compact menu: ${menu.height}px`);
    await page.close();
  });

  test('a citizen with an e-mail files a request, opens the link of the e-mail and cancels it', async () => {
    const page = await app.newPage();
    await page.goto(app.url('/demande'));
    await app.check(page, 'demande-2');
    await page.getByLabel(/Faire une démarche administrative en ligne/).check();
    await page.getByLabel(/Par appel vidéo/).check();
    await page.getByLabel('Votre commune').fill('20000');
    await page.getByLabel('6. Votre prénom').fill('Josette');
    await page.getByLabel('Adresse e-mail', { exact: true }).fill('josette.martin@example.org');
    await page.getByRole('radio', { name: /Pour un proche/ }).check();
    await page.getByLabel('Le prénom de votre proche').fill('Paul');
    await page.getByLabel('Vous êtes, pour cette personne', { exact: false }).selectOption('fille');
    await page.getByLabel('8. Préférez-vous une autre langue', { exact: false }).selectOption('es');
    await page.getByLabel(/J'accepte que mes réponses/).check();
    await app.click(page, page.getByRole('button', { name: 'Envoyer ma demande' }));
    assert.match(page.url(), /\/suivi\/[0-9a-f]{64}\?bienvenue=1$/);
    await app.check(page, 'suivi-bienvenue-email');
    const reference = await page.locator('.reference').innerText();

    const email = await app.email('josette.martin@example.org', (mail) => mail.subject.includes(reference));
    const link = email.text.match(/https?:\/\/\S+\/suivi\/[0-9a-f]{64}/)?.[0];
    assert.ok(link, `the e-mail carries the follow-up link:\n${email.text}`);
    assert.ok(link.startsWith(app.url('/suivi/')), link);

    const later = await app.newPage();
    await later.goto(link);
    await app.check(later, 'suivi', { screenshot: true });
    await assertVisible(later, 'Où en est ma demande ?');
    await assertVisible(later, `Ma demande ${reference}`);
    await assertVisible(later, 'Josette (pour Paul)');
    await assertVisible(later, 'espagnol');

    await app.click(later, later.getByRole('link', { name: 'Annuler ma demande' }));
    assert.match(later.url(), /\/annuler$/);
    await app.check(later, 'annuler', { screenshot: true });
    await assertVisible(later, `Annuler ma demande ${reference} ?`);
    await app.click(later, later.getByRole('button', { name: 'Oui, annuler ma demande' }));
    assert.equal(later.url(), link);
    await app.check(later, 'suivi-annulee', { screenshot: true });
    await assertVisible(later, 'Votre demande est annulée.');
    assert.equal((await later.locator('.statut').innerText()).trim(), 'Annulée');
    assert.equal(await later.getByRole('link', { name: 'Annuler ma demande' }).count(), 0);
    await later.close();
    await page.close();
  });

  test('once a volunteer takes the request, the citizen sees the trust word on the follow-up page', async () => {
    const volunteer = 'luc.bernard@example.org';
    const password = 'une phrase facile à retenir';
    const page = await app.newPage();
    await page.goto(app.url('/benevole/inscription'));
    await app.check(page, 'benevole-inscription');
    await page.locator('#prenom').fill('Luc');
    await page.locator('#commune').fill('75016');
    await page.locator('#rayon_km').fill('5');
    await page.locator('#modes-telephone').check();
    await page.locator('#categories-email').check();
    await page.locator('#max_demandes').fill('2');
    await page.locator('#email').fill(volunteer);
    await page.locator('#password').fill(password);
    await page.locator('#password_confirm').fill(password);
    await page.locator('#charte').check();
    await app.click(page, page.getByRole('button', { name: 'Créer mon compte bénévole' }));
    await app.check(page, 'benevole-verifiez-email');
    const welcome = await app.email(volunteer, (mail) => /\/verifier-email\//.test(mail.text));
    await page.goto(welcome.text.match(/https?:\/\/\S+\/verifier-email\/[A-Za-z0-9_-]+/)[0]);
    await app.check(page, 'verifier-email');
    if (!new URL(page.url()).pathname.startsWith('/connexion')) {
      await page.goto(app.url('/connexion'));
      await app.check(page, 'connexion');
    }
    await page.getByLabel('Adresse e-mail', { exact: true }).fill(volunteer);
    await page.getByLabel('Mot de passe', { exact: true }).fill(password);
    await app.click(page, page.getByRole('button', { name: 'Se connecter' }));
    await app.check(page, 'benevole-profil');

    const citizen = await app.newPage();
    await citizen.goto(app.url('/demande'));
    await app.check(citizen, 'demande-paris');
    await citizen.getByLabel(/Utiliser une messagerie électronique/).check();
    await citizen.getByLabel('Par téléphone').check();
    await citizen.getByLabel('Votre commune').fill('75016');
    await citizen.getByLabel('6. Votre prénom').fill('Odette');
    await citizen.getByLabel('Numéro de téléphone').fill('06 12 34 56 78');
    await citizen.getByLabel(/J'accepte que mes réponses/).check();
    await app.click(citizen, citizen.getByRole('button', { name: 'Envoyer ma demande' }));
    assert.match(citizen.url(), /\/suivi\/[0-9a-f]{64}\?bienvenue=1$/);
    await app.check(citizen, 'suivi-paris');
    const followUp = citizen.url().replace(/\?bienvenue=1$/, '');
    const reference = (await citizen.locator('.reference').innerText()).trim();
    app.command(['request', 'open', reference]);

    const proposal = await app.email(volunteer, (mail) => mail.subject.includes('pouvez-vous aider'));
    await page.goto(proposal.text.match(/https?:\/\/\S+\/benevole\/propositions\/\d+/)[0]);
    await app.check(page, 'benevole-proposition');
    await app.click(page, page.getByRole('button', { name: "J'accepte" }));
    await app.check(page, 'benevole-demandes-mot-de-confiance', { screenshot: true });
    const told = (await page.locator('.mot-de-confiance-mot').innerText()).trim();
    assert.match(told, /^[a-zéè]{5,11}$/);
    await page.close();

    await citizen.goto(followUp);
    await app.check(citizen, 'suivi-mot-de-confiance', { screenshot: true });
    await assertVisible(citizen, 'Luc va vous aider');
    await assertVisible(citizen, 'Au début de son appel, Luc vous dira le mot');
    assert.equal((await citizen.locator('.mot-de-confiance-mot').innerText()).trim(), told, 'the same word on both sides');
    await assertVisible(citizen, 'Si la personne ne connaît pas ce mot, raccrochez.');
    await assertVisible(citizen, "Un bénévole ne vous demandera jamais d'argent, de mot de passe ni de code bancaire.");
    await citizen.close();
  });
});

/** Fails unless `text` is shown on the page. */
async function assertVisible(page, text) {
  const shown = page.getByText(text, { exact: false }).first();
  assert.ok(await shown.isVisible(), `"${text}" is shown on ${page.url()}`);
}
