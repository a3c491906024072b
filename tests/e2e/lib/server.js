// The real Entraide server, started for one test file: a free port, a fresh SQLite database and a
// folder for e-mails, all in a temporary directory removed at the end.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** The repository root (tests/e2e/lib → ../../..). */
export const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..');

/**
 * The server binary: $ENTRAIDE_BIN (run.sh sets it), else the debug build in cargo's target
 * directory, provided it was built from this checkout (it serves this checkout's static files).
 */
function serverBinary() {
  if (process.env.ENTRAIDE_BIN) return process.env.ENTRAIDE_BIN;
  const metadata = JSON.parse(
    execFileSync('cargo', ['metadata', '--format-version', '1', '--no-deps'], { cwd: REPO_ROOT }),
  );
  const binary = join(metadata.target_directory, 'debug', 'entraide');
  if (!existsSync(binary)) throw new Error(`${binary} is missing: run \`cargo build\` first`);
  if (!readFileSync(binary).includes(`${REPO_ROOT}/static`)) {
    throw new Error(`${binary} was built from another checkout: run \`cargo build\` here, or tests/e2e/run.sh`);
  }
  return binary;
}

/** A TCP port nobody listens on right now. */
async function freePort() {
  const probe = createServer();
  await new Promise((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address();
  await new Promise((done) => probe.close(done));
  return port;
}

/**
 * Starts the server and resolves once GET /readyz answers 200. `extraEnv` adds or overrides
 * settings (e.g. a failing SMTP_URL).
 */
export async function startServer(extraEnv = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'entraide-e2e-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const mailDir = join(dir, 'mail');
  const env = {
    ...process.env,
    DATABASE_URL: `sqlite://${join(dir, 'e2e.db')}?mode=rwc`,
    BIND_ADDR: `127.0.0.1:${port}`,
    BASE_URL: baseUrl,
    MAIL_DIR: mailDir,
    MAIL_POLL_MS: '100',
    REQUEST_FORM_MIN_SECONDS: '0',
    REQUESTS_PER_IP_PER_HOUR: '1000',
    RUST_LOG: process.env.RUST_LOG ?? 'warn',
  };
  delete env.SMTP_URL;
  Object.assign(env, extraEnv);
  // The server reads a .env file in its working folder: run it from the empty temporary directory.
  const binary = serverBinary();
  const child = spawn(binary, ['serve'], { cwd: dir, env, stdio: ['ignore', 'inherit', 'inherit'] });
  let exited = null;
  child.on('exit', (code, signal) => { exited = { code, signal }; });

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) throw new Error(`the server stopped at start-up (${JSON.stringify(exited)})`);
    try {
      const response = await fetch(`${baseUrl}/readyz`);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('the server was not ready within 30 s');
    }
    await sleep(100);
  }

  return {
    baseUrl,
    mailDir,
    /**
     * Runs a command of the server binary (e.g. `['request', 'open', 'ENT-…']`) with the server's
     * database, mail folder and address; resolves with its standard output, throws if it fails.
     */
    command(args) {
      return execFileSync(binary, args, { cwd: dir, env, encoding: 'utf8', timeout: 30_000 });
    },
    /** Stops the server (SIGTERM, then SIGKILL after 5 s) and removes its files. */
    async stop() {
      if (!exited) {
        const gone = new Promise((done) => child.once('exit', done));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await gone;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
