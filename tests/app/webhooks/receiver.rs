//! A partner's webhook endpoint: a real HTTP server on 127.0.0.1:0, over TCP, that records every
//! request it reads and answers as the test scripted it — a status, or the connection dropped
//! without a word. Written on a bare socket so that "dropped" is a real closed connection.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use hmac::{Hmac, Mac};
use sha2::Sha256;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// How the endpoint answers one request.
#[derive(Clone, Copy, Debug)]
pub enum Answer {
    /// An HTTP answer with this status and no body.
    Status(u16),
    /// The connection closed after reading the request, without any answer.
    Drop,
}

/// One request the endpoint read.
#[derive(Clone, Debug)]
pub struct Received {
    pub path: String,
    /// Header names in lower case.
    pub headers: HashMap<String, String>,
    pub body: String,
}

impl Received {
    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).expect("the body is JSON")
    }

    /// Whether `Entraide-Signature` is a valid HMAC-SHA256 of `"<t>.<body>"` under `secret`,
    /// computed here as a partner would.
    pub fn signed_with(&self, secret: &str) -> bool {
        let header = &self.headers["entraide-signature"];
        let mut t = None;
        let mut v1 = None;
        for part in header.split(',') {
            match part.split_once('=') {
                Some(("t", value)) => t = Some(value.to_owned()),
                Some(("v1", value)) => v1 = Some(value.to_owned()),
                _ => {}
            }
        }
        let (Some(t), Some(v1)) = (t, v1) else {
            return false;
        };
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(format!("{t}.{}", self.body).as_bytes());
        let expected: String = mac
            .finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        expected == v1
    }
}

#[derive(Default)]
struct State {
    script: VecDeque<Answer>,
    received: Vec<Received>,
}

/// The running endpoint.
pub struct Receiver {
    pub addr: SocketAddr,
    state: Arc<Mutex<State>>,
}

impl Receiver {
    /// Starts listening; unscripted requests are answered 200.
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(Mutex::new(State::default()));
        let shared = state.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, shared.clone()));
            }
        });
        Self { addr, state }
    }

    /// Its address, as a partner would register it.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/entraide/evenements", self.addr.port())
    }

    /// The next requests are answered so, in order.
    pub fn answer_next(&self, answers: impl IntoIterator<Item = Answer>) {
        self.state.lock().unwrap().script.extend(answers);
    }

    /// Every request read so far, oldest first.
    pub fn received(&self) -> Vec<Received> {
        self.state.lock().unwrap().received.clone()
    }
}

async fn serve(mut stream: TcpStream, state: Arc<Mutex<State>>) {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let path = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .unwrap_or_default()
        .to_owned();
    let headers: HashMap<String, String> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    while buffer.len() < head_end + length {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    }
    let body = String::from_utf8_lossy(&buffer[head_end..head_end + length]).into_owned();
    let answer = {
        let mut state = state.lock().unwrap();
        state.received.push(Received {
            path,
            headers,
            body,
        });
        state.script.pop_front().unwrap_or(Answer::Status(200))
    };
    match answer {
        Answer::Status(code) => {
            let reply = format!(
                "HTTP/1.1 {code} Scripted\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            );
            let _ = stream.write_all(reply.as_bytes()).await;
            let _ = stream.shutdown().await;
        }
        Answer::Drop => drop(stream),
    }
}
