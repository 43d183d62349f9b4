//! Every message key the Rust side can hand to the UI has a sentence in both
//! languages. Keys are found in the sources (`message_key` arms and
//! `UiError::new`), so a new error without its words fails here.

use std::collections::BTreeSet;
use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// String literals that look like message keys: `"area.word"` or deeper,
/// in an arm (`=> "…"`), a `UiError::new("…")` call, a Rust-side
/// translation (`tr("…", …)`) or any `"declaration.…"` literal.
fn keys_in(source: &str) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    // A declaration field's key may stand anywhere (`fail(field, "…")`),
    // so its prefix is a marker of its own and kept in the key.
    for (marker, kept) in [
        ("=> \"", ""),
        ("UiError::new(\"", ""),
        ("tr(\"", ""),
        ("\"declaration.", "declaration."),
    ] {
        for (at, _) in source.match_indices(marker) {
            let rest = &source[at + marker.len()..];
            let Some(end) = rest.find('"') else { continue };
            let key = format!("{kept}{}", &rest[..end]);
            let key = key.as_str();
            let looks_like_key = key.contains('.')
                && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
                && key.split('.').all(|part| !part.is_empty());
            if looks_like_key {
                keys.insert(key.to_owned());
            }
        }
    }
    keys
}

#[test]
fn every_rust_message_key_has_vietnamese_and_english_text() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in [
        "crates/vaora-core/src",
        "crates/vaora-scan/src",
        "src-tauri/src",
    ] {
        rust_files(&root.join(dir), &mut files);
    }
    let keys: BTreeSet<String> = files
        .iter()
        .flat_map(|f| keys_in(&std::fs::read_to_string(f).unwrap()))
        .collect();
    assert!(
        keys.contains("scan.venue.badSignature"),
        "key scan found {keys:?}"
    );
    for lang in ["vi", "en"] {
        let path = root.join(format!("ui/src/i18n/{lang}.json"));
        let catalog: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let missing: Vec<_> = keys.iter().filter(|k| !catalog.contains_key(*k)).collect();
        assert!(missing.is_empty(), "{lang}.json lacks {missing:?}");
    }
}
