//! SMTP connections with Nagle's algorithm off, kept in a pool.
//!
//! lettre 0.11.23 leaves `TCP_NODELAY` unset and writes the end of an e-mail's data (`\r\n.\r\n`)
//! in a second small write after the body: the kernel holds those five bytes until the server
//! acknowledges the body, which a server with delayed acknowledgements does only after 40 ms. Every
//! e-mail therefore cost at least 40 ms of one connection, whatever the machine — the outbox could
//! not send more than `MAIL_CONCURRENCY / 40 ms` e-mails a second (lettre/lettre#1159 fixes it, after
//! 0.11.23). So for `smtp://` URLs (plain or STARTTLS) this module opens the TCP connections itself,
//! with `TCP_NODELAY`, hands them to lettre, which speaks SMTP on them, and keeps them in a
//! `deadpool` pool. `smtps://` (implicit TLS) stays with lettre's own pool: lettre cannot be handed
//! a stream that is already encrypted.

use std::time::Duration;

use anyhow::Context;
use deadpool::managed::{self, Metrics, Object, Pool, RecycleError, RecycleResult};
use lettre::Message;
use lettre::transport::smtp::authentication::{Credentials, DEFAULT_MECHANISMS};
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use url::Url;

/// How long opening a connection (TCP, greeting, EHLO, STARTTLS, AUTH) may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

/// A connection that sat idle longer than this is asked `NOOP` before it is used again (the
/// server may have closed it); a fresher one is used at once.
const CHECK_AFTER_IDLE: Duration = Duration::from_secs(5);

/// When a plain `smtp://` connection switches to TLS.
#[derive(Clone)]
enum StartTls {
    /// Never (`smtp://host`, a relay on a trusted network).
    Never,
    /// Always, or no e-mail goes out (`?tls=required`).
    Required(TlsParameters),
    /// When the server offers it (`?tls=opportunistic`).
    Opportunistic(TlsParameters),
}

/// Where and how to connect, read from `SMTP_URL`.
struct Server {
    host: String,
    port: u16,
    starttls: StartTls,
    credentials: Option<Credentials>,
    hello: ClientId,
}

/// One pooled connection. `clean` is false while a delivery is under way: a delivery cut short (a
/// timeout drops its future) leaves the connection in the middle of the protocol, and the pool
/// then throws it away instead of lending it again.
pub struct Connection {
    smtp: AsyncSmtpConnection,
    clean: bool,
}

impl managed::Manager for Server {
    type Type = Connection;
    type Error = anyhow::Error;

    async fn create(&self) -> anyhow::Result<Connection> {
        tokio::time::timeout(CONNECT_TIMEOUT, self.connect())
            .await
            .unwrap_or_else(|_| Err(anyhow::anyhow!("the mail server did not answer in time")))
    }

    async fn recycle(
        &self,
        connection: &mut Connection,
        metrics: &Metrics,
    ) -> RecycleResult<anyhow::Error> {
        if !connection.clean || connection.smtp.has_broken() {
            return Err(RecycleError::message("the connection was left broken"));
        }
        if metrics.last_used() > CHECK_AFTER_IDLE && !connection.smtp.test_connected().await {
            return Err(RecycleError::message("the server closed the connection"));
        }
        Ok(())
    }
}

impl Server {
    fn from_url(url: &Url) -> anyhow::Result<Self> {
        let host = url.host_str().context("SMTP_URL has no host")?.to_owned();
        let tls = url
            .query_pairs()
            .find(|(key, _)| key == "tls")
            .map(|(_, value)| value.into_owned());
        let parameters = || TlsParameters::new(host.clone()).context("invalid TLS host");
        let (starttls, default_port) = match tls.as_deref() {
            None => (StartTls::Never, 25),
            Some("required") => (StartTls::Required(parameters()?), 587),
            Some("opportunistic") => (StartTls::Opportunistic(parameters()?), 587),
            Some(other) => anyhow::bail!("SMTP_URL: unknown tls={other}"),
        };
        let decode = |text: &str| {
            percent_encoding::percent_decode_str(text)
                .decode_utf8()
                .map(|decoded| decoded.into_owned())
                .context("SMTP_URL: credentials are not UTF-8")
        };
        let credentials = match url.password() {
            Some(password) => Some(Credentials::new(decode(url.username())?, decode(password)?)),
            None => None,
        };
        let hello = match url.path().trim_matches('/') {
            "" => ClientId::default(),
            name => ClientId::Domain(name.to_owned()),
        };
        Ok(Self {
            port: url.port().unwrap_or(default_port),
            host,
            starttls,
            credentials,
            hello,
        })
    }

    async fn connect(&self) -> anyhow::Result<Connection> {
        let tcp = dial(&self.host, self.port).await?;
        let mut smtp = AsyncSmtpConnection::connect_with_transport(Box::new(tcp), &self.hello)
            .await
            .context("the mail server refused the greeting")?;
        match &self.starttls {
            StartTls::Never => {}
            StartTls::Required(parameters) => smtp
                .starttls(parameters.clone(), &self.hello)
                .await
                .context("STARTTLS failed")?,
            StartTls::Opportunistic(parameters) => {
                if smtp.can_starttls() {
                    smtp.starttls(parameters.clone(), &self.hello)
                        .await
                        .context("STARTTLS failed")?;
                }
            }
        }
        if let Some(credentials) = &self.credentials {
            smtp.auth(DEFAULT_MECHANISMS, credentials)
                .await
                .context("the mail server refused the credentials")?;
        }
        Ok(Connection { smtp, clean: true })
    }
}

/// Opens a TCP connection to `host:port` that sends every write at once (no Nagle).
async fn dial(host: &str, port: u16) -> anyhow::Result<tokio::net::TcpStream> {
    let tcp = tokio::net::TcpStream::connect((host, port))
        .await
        .context("cannot reach the mail server")?;
    tcp.set_nodelay(true)
        .context("cannot turn Nagle's algorithm off")?;
    Ok(tcp)
}

/// A pool of Nagle-free connections to the server of an `smtp://` URL.
#[derive(Clone)]
pub struct SmtpPool {
    pool: Pool<Server>,
}

impl SmtpPool {
    /// The pool for `url`, holding at most `size` connections; `None` for `smtps://` URLs.
    pub fn for_url(url: &Url, size: usize) -> anyhow::Result<Option<Self>> {
        if url.scheme() != "smtp" {
            return Ok(None);
        }
        let pool = Pool::builder(Server::from_url(url)?)
            .max_size(size.max(1))
            .build()
            .context("cannot build the SMTP connection pool")?;
        Ok(Some(Self { pool }))
    }

    /// Hands `message` to the server on a pooled connection (a new one if none is free).
    pub async fn send(&self, message: &Message) -> anyhow::Result<()> {
        let mut connection = self
            .pool
            .get()
            .await
            .map_err(|err| match err {
                managed::PoolError::Backend(err) => err,
                other => anyhow::anyhow!("no connection: {other}"),
            })
            .context("SMTP delivery failed")?;
        connection.clean = false;
        let sent = connection
            .smtp
            .send(message.envelope(), &message.formatted())
            .await;
        match sent {
            Ok(_) => {
                connection.clean = true;
                Ok(())
            }
            Err(err) => {
                // A refused e-mail (a 5xx for this recipient) leaves the session usable, but a
                // fresh connection for the next one is the safe choice after any error.
                let mut broken = Object::take(connection);
                broken.smtp.abort().await;
                Err(err).context("SMTP delivery failed")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn connections_to_the_mail_server_send_small_writes_at_once() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let tcp = dial("127.0.0.1", port).await.unwrap();
        assert!(tcp.nodelay().unwrap(), "Nagle's algorithm must be off");
    }

    #[test]
    fn the_url_says_how_to_connect() {
        let plain = Server::from_url(&"smtp://relay.example".parse().unwrap()).unwrap();
        assert_eq!((plain.host.as_str(), plain.port), ("relay.example", 25));
        assert!(matches!(plain.starttls, StartTls::Never));
        assert!(plain.credentials.is_none());

        let submission = Server::from_url(
            &"smtp://entraide%40asso.fr:p%C3%A2ss@mail.example/entraide.example?tls=required"
                .parse()
                .unwrap(),
        )
        .unwrap();
        assert_eq!(submission.port, 587);
        assert!(matches!(submission.starttls, StartTls::Required(_)));
        assert_eq!(
            submission.credentials,
            Some(Credentials::new("entraide@asso.fr".into(), "pâss".into()))
        );
        assert_eq!(
            submission.hello,
            ClientId::Domain("entraide.example".into())
        );

        let opportunistic = Server::from_url(
            &"smtp://mail.example:2525?tls=opportunistic"
                .parse()
                .unwrap(),
        )
        .unwrap();
        assert_eq!(opportunistic.port, 2525);
        assert!(matches!(opportunistic.starttls, StartTls::Opportunistic(_)));

        assert!(Server::from_url(&"smtp://mail.example?tls=maybe".parse().unwrap()).is_err());
        assert!(
            SmtpPool::for_url(&"smtps://mail.example".parse().unwrap(), 4)
                .unwrap()
                .is_none()
        );
    }
}
