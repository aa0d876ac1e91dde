//! Keys and notes against the Go `note` package's published example, checkpoints and
//! cosignatures made and checked, and what must be refused.

use chrono::TimeZone;

use super::*;

/// golang.org/x/mod/sumdb/note's documented example: key, text and the exact signed note.
const GO_SIGNER: &str =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const GO_VERIFIER: &str = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const GO_TEXT: &str = "If you think cryptography is the answer to your problem,\n\
                       then you don't know what your problem is.\n";
const GO_SIGNATURE: &str = "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

#[test]
fn keys_and_signatures_are_the_go_note_packages_byte_for_byte() {
    let signer = NoteSigner::parse(GO_SIGNER).expect("the Go example key");
    assert_eq!(signer.to_text(), GO_SIGNER);
    assert_eq!(signer.verifier().to_string(), GO_VERIFIER);
    assert_eq!(signer.sign(GO_TEXT), format!("{GO_TEXT}\n{GO_SIGNATURE}"));
    let verifier = NoteVerifier::parse(GO_VERIFIER).expect("the Go example vkey");
    let note = SignedNote::parse(&format!("{GO_TEXT}\n{GO_SIGNATURE}")).expect("parses");
    assert_eq!(note.text, GO_TEXT);
    assert_eq!(verifier.verify(&note), Ok(()));
}

#[test]
fn a_changed_text_or_another_key_is_refused() {
    let verifier = NoteVerifier::parse(GO_VERIFIER).expect("vkey");
    let changed = GO_TEXT.replace("problem,", "problems,");
    let note = SignedNote::parse(&format!("{changed}\n{GO_SIGNATURE}")).expect("parses");
    assert!(matches!(
        verifier.verify(&note),
        Err(NoteError::BadSignature(_))
    ));
    let other = NoteSigner::generate("PeterNeumann", KeyType::Ed25519).expect("key");
    let note = SignedNote::parse(&other.sign(GO_TEXT)).expect("parses");
    assert!(matches!(
        verifier.verify(&note),
        Err(NoteError::Unsigned(_))
    ));
}

#[test]
fn malformed_keys_and_notes_are_refused() {
    for key in [
        "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10",
        "PeterNeumann+c74f20a3",
    ] {
        assert!(NoteVerifier::parse(key).is_err(), "{key}");
    }
    for note in [GO_TEXT.to_owned(), format!("{GO_TEXT}\n— PeterNeumann\n")] {
        assert!(SignedNote::parse(&note).is_err(), "{note}");
    }
}

fn checkpoint() -> Checkpoint {
    Checkpoint {
        origin: "ntm.example/log".into(),
        size: 1234,
        root: [7; 32],
        time: Utc
            .with_ymd_and_hms(2026, 12, 7, 23, 40, 0)
            .single()
            .expect("a time"),
    }
}

#[test]
fn a_checkpoint_reads_back_what_it_says() {
    let text = checkpoint().text();
    assert_eq!(
        text,
        "ntm.example/log\n1234\nBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=\ntime 2026-12-07T23:40:00Z\n"
    );
    assert_eq!(Checkpoint::parse(&text), Ok(checkpoint()));
    for bad in [
        text.replace("1234", "01234"),
        text.replace("time ", "at "),
        text.trim_end().to_owned(),
        format!("{text}extra\n"),
    ] {
        assert!(Checkpoint::parse(&bad).is_err(), "{bad}");
    }
    let key = NoteSigner::generate("ntm.example/log", KeyType::Ed25519).expect("key");
    let (opened, _) = Checkpoint::open(&key.sign(&text), &key.verifier()).expect("opens");
    assert_eq!(opened, checkpoint());
}

#[test]
fn a_cosignature_verifies_with_its_time_and_only_for_its_checkpoint() {
    let log = NoteSigner::generate("ntm.example/log", KeyType::Ed25519).expect("key");
    let witness = NoteSigner::generate("thanhtra.example/w1", KeyType::Cosignature).expect("key");
    let text = checkpoint().text();
    let line = cosign(&witness, &text, 1_765_150_800).expect("cosigned");
    let note = SignedNote::parse(&format!("{}{line}", log.sign(&text))).expect("parses");
    assert_eq!(
        verify_cosignature(&witness.verifier(), &note),
        Ok(1_765_150_800)
    );
    assert_eq!(
        log.verifier().verify(&note),
        Ok(()),
        "the log's signature still holds"
    );
    let other = text.replace("1234", "1235");
    let moved = SignedNote::parse(&format!("{}{line}", log.sign(&other))).expect("parses");
    assert!(verify_cosignature(&witness.verifier(), &moved).is_err());
    assert!(cosign(&log, &text, 1).is_err(), "a log key does not cosign");
    let reparsed = NoteVerifier::parse(&witness.verifier().to_string()).expect("vkey");
    assert_eq!(reparsed.kind(), KeyType::Cosignature);
}
