//! `receivers fetch` against a fake platform, Telegram and Slack: the file through each one's
//! API, the failures that must read clearly (a refused token, a web page for a file, a file over
//! the cap, a platform out of reach), and no token in anything printed.
#![allow(clippy::unwrap_used)]

mod fetching;
mod support;

use fetching::{SLACK_TOKEN, TELEGRAM_TOKEN, content, envelope, fetch, written};
use serde_json::json;
use support::{FakeFile, FakeFiles, directory_with_demo_bots, moto_env};

#[tokio::test]
async fn telegram_files_come_through_get_file() {
    let file = content(3000);
    let platform = FakeFiles::start(
        &[(
            "/getFile",
            200,
            json!({"ok": true, "result": {"file_id": "BQAC-1", "file_size": 3000,
                   "file_path": "documents/file_7.pdf"}}),
        )],
        vec![FakeFile::new(
            "/documents/file_7.pdf",
            "application/octet-stream",
            &file,
        )],
    )
    .await;
    let (dir, _) = directory_with_demo_bots();
    let attachment = json!({"type": "file", "file_id": "BQAC-1", "name": "report.pdf",
                            "mime_type": "application/pdf", "size": 3000});
    let run = fetch(
        dir.path(),
        &envelope("telegram", attachment, json!({})),
        &[],
        &[("TELEGRAM_API_URL", &platform.url)],
    )
    .await
    .ok();
    assert_eq!(std::fs::read(dir.path().join("report.pdf")).unwrap(), file);
    assert!(run.stdout.contains("path: report.pdf"), "{}", run.stdout);
    assert!(run.stdout.contains("size: 3000 bytes"), "{}", run.stdout);
    assert!(
        run.stdout.contains("mime_type: application/pdf"),
        "{}",
        run.stdout
    );
    let calls = platform.calls();
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert_eq!(calls[0].path, format!("/bot{TELEGRAM_TOKEN}/getFile"));
    assert_eq!(calls[0].query, "file_id=BQAC-1");
    assert_eq!(
        calls[1].path,
        format!("/file/bot{TELEGRAM_TOKEN}/documents/file_7.pdf")
    );
}

#[tokio::test]
async fn a_refused_telegram_token_is_said_without_showing_it() {
    let answer = json!({"ok": false, "error_code": 401, "description": "Unauthorized"});
    let platform = FakeFiles::start(&[("/getFile", 401, answer)], vec![]).await;
    let (dir, _) = directory_with_demo_bots();
    let attachment = json!({"type": "image", "file_id": "AgAD-2"});
    let run = fetch(
        dir.path(),
        &envelope("telegram", attachment, json!({})),
        &[],
        &[("TELEGRAM_API_URL", &platform.url)],
    )
    .await
    .failed();
    assert!(run.stderr.contains("refused"), "{}", run.stderr);
    assert!(run.stderr.contains("`token`"), "{}", run.stderr);
    assert!(written(dir.path()).is_empty());
}

#[tokio::test]
async fn an_unreachable_telegram_is_reported_without_its_url() {
    let (dir, _) = directory_with_demo_bots();
    let attachment = json!({"type": "file", "file_id": "BQAC-3"});
    let env = [("TELEGRAM_API_URL", "http://127.0.0.1:9")];
    let run = fetch(
        dir.path(),
        &envelope("telegram", attachment, json!({})),
        &[],
        &env,
    )
    .await
    .failed();
    assert!(
        run.stderr.contains("cannot reach Telegram"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("127.0.0.1:9/bot"), "{}", run.stderr);
}

#[tokio::test]
async fn slack_files_are_read_with_the_bot_token() {
    let file = b"meeting notes\n".to_vec();
    let platform = FakeFiles::start(
        &[],
        vec![FakeFile::new(
            "/files-pri/T1-F1/notes.txt",
            "text/plain",
            &file,
        )],
    )
    .await;
    let (dir, _) = directory_with_demo_bots();
    let url = format!("{}/files-pri/T1-F1/notes.txt", platform.url);
    let attachment = json!({"type": "file", "url": url, "file_id": "F1", "name": "notes.txt",
                            "mime_type": "text/plain"});
    let env = [("SLACK_FILE_HOSTS", "127.0.0.1")];
    fetch(
        dir.path(),
        &envelope("slack", attachment, json!({})),
        &[],
        &env,
    )
    .await
    .ok();
    assert_eq!(std::fs::read(dir.path().join("notes.txt")).unwrap(), file);
    let calls = platform.calls();
    assert_eq!(
        calls[0].headers["authorization"],
        format!("Bearer {SLACK_TOKEN}")
    );
}

#[tokio::test]
async fn slacks_sign_in_page_with_200_is_an_error() {
    let page = b"<!DOCTYPE html><html><body>Sign in to Slack</body></html>";
    let platform = FakeFiles::start(
        &[],
        vec![FakeFile::new(
            "/files-pri/T1-F2/q3.pdf",
            "text/html; charset=utf-8",
            page,
        )],
    )
    .await;
    let (dir, _) = directory_with_demo_bots();
    let url = format!("{}/files-pri/T1-F2/q3.pdf", platform.url);
    let attachment = json!({"type": "file", "url": url, "name": "q3.pdf",
                            "mime_type": "application/pdf"});
    let env = [("SLACK_FILE_HOSTS", "127.0.0.1")];
    let run = fetch(
        dir.path(),
        &envelope("slack", attachment, json!({})),
        &[],
        &env,
    )
    .await
    .failed();
    assert!(run.stderr.contains("web page"), "{}", run.stderr);
    assert!(run.stderr.contains("files:read"), "{}", run.stderr);
    assert!(written(dir.path()).is_empty());
}

#[tokio::test]
async fn the_slack_token_goes_to_slack_file_hosts_only() {
    let platform = FakeFiles::start(&[], vec![FakeFile::new("/f", "text/plain", b"x")]).await;
    let (dir, _) = directory_with_demo_bots();
    let attachment = json!({"type": "file", "url": format!("{}/f", platform.url)});
    let run = fetch(
        dir.path(),
        &envelope("slack", attachment, json!({})),
        &[],
        &[],
    )
    .await
    .failed();
    assert!(run.stderr.contains("Slack file host"), "{}", run.stderr);
    assert!(platform.calls().is_empty(), "the token was sent");
}

#[tokio::test]
async fn the_size_cap_stops_a_download_with_or_without_its_length() {
    for chunked in [false, true] {
        let mut file = FakeFile::new("/media/big.bin", "application/octet-stream", &content(5000));
        if chunked {
            file = file.chunked();
        }
        let platform = FakeFiles::start(&[], vec![file]).await;
        let (dir, _) = directory_with_demo_bots();
        let attachment = json!({"type": "file", "url": format!("{}/media/big.bin", platform.url),
                                "name": "big.bin"});
        let run = fetch(
            dir.path(),
            &envelope("viber", attachment, json!({})),
            &["--max-bytes", "1000"],
            &[],
        )
        .await
        .failed();
        assert!(
            run.stderr.contains("1000-byte limit"),
            "chunked {chunked}: {}",
            run.stderr
        );
        assert!(written(dir.path()).is_empty(), "chunked {chunked}");
    }
}

#[tokio::test]
async fn with_secrets_source_aws_the_token_comes_from_secrets_manager() {
    let aws = integration_tests::Aws::new().await;
    let prefix = format!("{}/", integration_tests::unique("fetch"));
    let token = "xoxb-stored-in-secrets-manager";
    let secret = json!({"signing_secret": "signing", "bot_token": token});
    aws.put_secret(&format!("{prefix}slack/demo"), &secret)
        .await;
    let file = b"from the AWS-held bot".to_vec();
    let platform = FakeFiles::start(
        &[],
        vec![FakeFile::new("/files-pri/T1-F9/a.txt", "text/plain", &file)],
    )
    .await;
    let (dir, _) = directory_with_demo_bots();
    let url = format!("{}/files-pri/T1-F9/a.txt", platform.url);
    let attachment = json!({"type": "file", "url": url, "name": "a.txt"});
    let mut env = moto_env();
    env.push(("SECRETS_SOURCE", "aws".to_owned()));
    env.push(("SECRETS_PREFIX", prefix));
    env.push(("SLACK_FILE_HOSTS", "127.0.0.1".to_owned()));
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let run = fetch(
        dir.path(),
        &envelope("slack", attachment, json!({})),
        &[],
        &env,
    )
    .await
    .ok();
    assert!(!run.output().contains(token), "{}", run.output());
    assert_eq!(std::fs::read(dir.path().join("a.txt")).unwrap(), file);
    assert_eq!(
        platform.calls()[0].headers["authorization"],
        format!("Bearer {token}")
    );
}
