//! The real `entraide` binary as a child process (`serve`, `worker`), on its own database or a
//! shared one, its output going to files.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use regex::Regex;

use crate::helpers::{MailFolder, TestDatabase};

/// An `entraide` process, its output going to files in its own folder.
pub struct Service {
    child: Child,
    folder: tempfile::TempDir,
    /// Where it listens, e.g. `http://127.0.0.1:38123`.
    pub base: String,
    /// The database it was given, when it has one of its own.
    database: Option<TestDatabase>,
}

impl Service {
    /// Starts the binary with `LOG_FORMAT=log_format` on a database of its own and waits until it
    /// listens.
    pub async fn start(log_format: &str) -> Self {
        let database = TestDatabase::create().await;
        let folder = tempfile::tempdir().expect("a temporary folder");
        let mail = folder.path().join("mail");
        let mut service = Self::spawn(
            "serve",
            &database.url(),
            folder,
            &[
                ("MAIL_DIR", mail.to_str().unwrap()),
                ("RUST_LOG", "info,entraide=debug,tower_http=debug"),
                ("LOG_FORMAT", log_format),
            ],
        );
        service.database = Some(database);
        service.wait_until_listening();
        service
    }

    /// Starts `entraide command` on `database_url`, its output going to files in `folder`, with
    /// nothing inherited from the environment but `env` (and quick test settings); does not wait.
    pub fn spawn(
        command: &str,
        database_url: &str,
        folder: tempfile::TempDir,
        env: &[(&str, &str)],
    ) -> Self {
        let file = |name: &str| std::fs::File::create(folder.path().join(name)).unwrap();
        let mut process = Command::new(env!("CARGO_BIN_EXE_entraide"));
        process
            .arg(command)
            // Away from any .env file of the developer's, with nothing inherited.
            .current_dir(folder.path())
            .env_clear()
            .env("DATABASE_URL", database_url)
            .env("BIND_ADDR", "127.0.0.1:0")
            .env("MAIL_DIR", folder.path().join("mail"))
            .env("MAIL_POLL_MS", "50")
            .env("REQUEST_FORM_MIN_SECONDS", "0");
        for (name, value) in env {
            process.env(name, value);
        }
        let child = process
            .stdin(Stdio::null())
            .stdout(file("stdout.log"))
            .stderr(file("stderr.log"))
            .spawn()
            .expect("the binary starts");
        Self {
            child,
            folder,
            base: String::new(),
            database: None,
        }
    }

    /// Waits until the service says where it listens, and remembers it in [`Service::base`].
    pub fn wait_until_listening(&mut self) {
        let port = self.wait_for_port();
        self.base = format!("http://127.0.0.1:{port}");
    }

    /// The port the service announces it listens on (it was given port 0).
    fn wait_for_port(&mut self) -> u16 {
        let port = Regex::new(r#"(?:"port":|port=)(\d+)"#).unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Some(found) = port.captures(&self.logs()) {
                return found[1].parse().unwrap();
            }
            assert!(
                self.child.try_wait().unwrap().is_none(),
                "the service stopped: {}",
                self.logs()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("the service never said where it listens: {}", self.logs());
    }

    /// The folder it writes e-mails into.
    pub fn mail(&self) -> MailFolder {
        MailFolder::of_process(self.folder.path().join("mail"))
    }

    /// Everything written so far on standard error then standard output.
    pub fn logs(&self) -> String {
        let read = |name: &str| std::fs::read_to_string(self.folder.path().join(name)).unwrap();
        read("stderr.log") + &read("stdout.log")
    }

    /// Asks the service to stop (SIGTERM, as a process manager would) and returns its logs.
    pub fn stop(mut self) -> String {
        let pid = self.child.id().to_string();
        let asked = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(20);
        while asked.as_ref().is_ok_and(|s| s.success()) && Instant::now() < deadline {
            if self.child.try_wait().unwrap().is_some() {
                return self.logs();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        self.child.kill().ok();
        self.child.wait().ok();
        self.logs()
    }
}

/// Waits until the outbox worker has sent every e-mail of the journey (the citizen's included),
/// so that its log lines are in. The subject here is the real process and its real clock, so this
/// polls with a deadline.
pub async fn wait_for_outbox(service: &Service, citizen: &str) {
    let mail = service.mail();
    mail.wait_for(citizen, |e| e.subject.contains("bien enregistrée"))
        .await;
    mail.wait_for(citizen, |e| e.subject.contains("annulée"))
        .await;
    let url = service.database.as_ref().expect("its own database").url();
    let db = sea_orm::Database::connect(url).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let counts = entraide::mail::outbox::counts(&db).await.unwrap();
        if counts.iter().all(|(status, _)| status == "sent") {
            break;
        }
        assert!(Instant::now() < deadline, "e-mails left unsent: {counts:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    db.close().await.ok();
}
