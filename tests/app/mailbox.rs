//! Reading e-mails the application sent: from the folder it writes to (most tests), or from a real
//! SMTP server the test starts (`SmtpSink`).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use entraide::mail::worker::OutboxWorker;
use mail_parser::MessageParser;

/// One received e-mail, decoded.
#[derive(Clone, Debug)]
pub struct ReceivedEmail {
    pub to: String,
    pub from: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub message_id: String,
    /// The raw message, headers included.
    pub raw: String,
}

impl ReceivedEmail {
    /// Decodes a raw RFC 5322 message.
    pub fn parse(raw: &[u8]) -> Self {
        let message = MessageParser::default()
            .parse(raw)
            .expect("a parsable e-mail");
        let address = |a: Option<&mail_parser::Address>| {
            a.and_then(|a| a.first())
                .and_then(|a| a.address())
                .unwrap_or_default()
                .to_owned()
        };
        Self {
            to: address(message.to()),
            from: address(message.from()),
            subject: message.subject().unwrap_or_default().to_owned(),
            text: message
                .body_text(0)
                .map(|t| t.into_owned())
                .unwrap_or_default(),
            html: message
                .body_html(0)
                .map(|t| t.into_owned())
                .unwrap_or_default(),
            message_id: message.message_id().unwrap_or_default().to_owned(),
            raw: String::from_utf8_lossy(raw).into_owned(),
        }
    }

    /// The value of a header in the raw message (unfolded, undecoded).
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self
            .raw
            .split("\r\n\r\n")
            .next()
            .unwrap_or_default()
            .replace("\r\n ", " ");
        let prefix = format!("{}:", name.to_ascii_lowercase());
        head.lines()
            .find(|l| l.to_ascii_lowercase().starts_with(&prefix))
            .map(|l| l[prefix.len()..].trim().to_owned())
    }
}

/// The folder an application writes e-mails into.
#[derive(Clone)]
pub struct MailFolder {
    dir: PathBuf,
    /// The test app's outbox, drained on demand; none for a folder another process writes.
    outbox: Option<Arc<OutboxWorker>>,
}

impl MailFolder {
    /// The folder of a test app, whose outbox `outbox` delivers on demand.
    pub fn of_app(dir: PathBuf, outbox: Arc<OutboxWorker>) -> Self {
        Self {
            dir,
            outbox: Some(outbox),
        }
    }

    /// The folder a separate process (the real binary) writes into, on its own clock.
    pub fn of_process(dir: PathBuf) -> Self {
        Self { dir, outbox: None }
    }

    /// Every e-mail written so far (without delivering anything).
    pub fn all(&self) -> Vec<ReceivedEmail> {
        read_folder(&self.dir)
    }

    /// Delivers the e-mails due (a test app's outbox), then returns the one to `to` matching
    /// `what`; fails at once if there is none.
    pub async fn delivered(
        &self,
        to: &str,
        what: impl Fn(&ReceivedEmail) -> bool,
    ) -> ReceivedEmail {
        let outbox = self
            .outbox
            .as_ref()
            .expect("a test app's folder (use wait_for for another process)");
        outbox.drain().await.expect("the outbox can be drained");
        self.find(to, &what).unwrap_or_else(|| self.missing(to))
    }

    /// Waits (up to 10 s) for the separate process writing this folder to deliver an e-mail to
    /// `to` matching `what`: its real clock is the subject, so this polls.
    pub async fn wait_for(&self, to: &str, what: impl Fn(&ReceivedEmail) -> bool) -> ReceivedEmail {
        for _ in 0..200 {
            if let Some(email) = self.find(to, &what) {
                return email;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.missing(to)
    }

    fn find(&self, to: &str, what: &impl Fn(&ReceivedEmail) -> bool) -> Option<ReceivedEmail> {
        self.all().into_iter().find(|e| e.to == to && what(e))
    }

    fn missing(&self, to: &str) -> ! {
        panic!(
            "no matching e-mail to {to}; received: {:#?}",
            self.all()
                .iter()
                .map(|e| (&e.to, &e.subject))
                .collect::<Vec<_>>()
        );
    }
}

fn read_folder(dir: &Path) -> Vec<ReceivedEmail> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .collect();
    files.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
    files
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .map(|raw| ReceivedEmail::parse(&raw))
        .collect()
}

/// A real SMTP server on 127.0.0.1 (mailin-embedded), keeping what it receives.
#[derive(Clone)]
pub struct SmtpSink {
    pub port: u16,
    received: Arc<Mutex<Vec<Vec<u8>>>>,
}

#[derive(Clone)]
struct Collector {
    received: Arc<Mutex<Vec<Vec<u8>>>>,
    current: Vec<u8>,
}

impl mailin_embedded::Handler for Collector {
    fn data_start(
        &mut self,
        _domain: &str,
        _from: &str,
        _is8bit: bool,
        _to: &[String],
    ) -> mailin_embedded::Response {
        self.current.clear();
        mailin_embedded::response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.current.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> mailin_embedded::Response {
        self.received
            .lock()
            .unwrap()
            .push(std::mem::take(&mut self.current));
        mailin_embedded::response::OK
    }
}

impl SmtpSink {
    /// Starts a server on a free port.
    pub fn start() -> Self {
        Self::start_on(std::net::TcpListener::bind("127.0.0.1:0").expect("a free port"))
    }

    /// Starts a server on `port` (which must be free).
    pub fn start_on_port(port: u16) -> Self {
        Self::start_on(std::net::TcpListener::bind(("127.0.0.1", port)).expect("the port is free"))
    }

    fn start_on(listener: std::net::TcpListener) -> Self {
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let handler = Collector {
            received: received.clone(),
            current: Vec::new(),
        };
        let mut server = mailin_embedded::Server::new(handler);
        server
            .with_name("sink.test")
            .with_num_threads(64)
            .with_tcp_listener(listener);
        // One thread per open connection (pooled connections stay open): leave plenty.
        // The server runs until the test process ends.
        std::thread::spawn(move || {
            let _ = server.serve();
        });
        Self { port, received }
    }

    /// The URL the application sends to.
    pub fn url(&self) -> url::Url {
        format!("smtp://127.0.0.1:{}", self.port).parse().unwrap()
    }

    /// Every e-mail received so far.
    pub fn received(&self) -> Vec<ReceivedEmail> {
        self.received
            .lock()
            .unwrap()
            .iter()
            .map(|raw| ReceivedEmail::parse(raw))
            .collect()
    }
}
