// The e-mails the server wrote as .eml files into its MAIL_DIR.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { simpleParser } from 'mailparser';

/** Every e-mail in `dir`, parsed: { to, subject, text, html }. */
export async function readMailbox(dir) {
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir).filter((name) => name.endsWith('.eml')).sort();
  return Promise.all(
    files.map(async (name) => {
      const mail = await simpleParser(readFileSync(join(dir, name)));
      return {
        file: name,
        to: (mail.to?.value ?? []).map((address) => address.address.toLowerCase()),
        subject: mail.subject ?? '',
        text: mail.text ?? '',
        html: mail.html || '',
      };
    }),
  );
}

/** Waits (up to 15 s) for an e-mail to `address` that `matches`, and returns it. */
export async function waitForEmail(dir, address, matches = () => true) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const found = (await readMailbox(dir)).find(
      (mail) => mail.to.includes(address.toLowerCase()) && matches(mail),
    );
    if (found) return found;
    if (Date.now() > deadline) {
      throw new Error(`no e-mail to ${address} after 15 s (folder ${dir})`);
    }
    await sleep(100);
  }
}
