//! The app's own message files (`ui/src/i18n/{vi,en}.json`), for the web
//! declaration page: a person without the app reads the same labels and
//! the same validation messages as one with it, and there is one place to
//! correct a translation. Read once, at first use.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::words::Lang;

type Messages = HashMap<String, String>;

fn load(json: &str) -> Messages {
    // The files are part of this build; a broken one is caught by the UI's
    // own tests and by `every_key_the_page_uses_exists` below.
    serde_json::from_str(json).unwrap_or_default()
}

static VI: LazyLock<Messages> =
    LazyLock::new(|| load(include_str!("../../../../ui/src/i18n/vi.json")));
static EN: LazyLock<Messages> =
    LazyLock::new(|| load(include_str!("../../../../ui/src/i18n/en.json")));

/// The text for `key` in `lang`, else in Vietnamese, else the key itself
/// (visible, rather than an empty label).
pub fn text(lang: Lang, key: &str) -> &str {
    let messages: &Messages = match lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
    };
    messages
        .get(key)
        .or_else(|| VI.get(key))
        .map_or(key, String::as_str)
}

#[cfg(test)]
pub(crate) fn has(lang: Lang, key: &str) -> bool {
    match lang {
        Lang::Vi => VI.contains_key(key),
        Lang::En => EN.contains_key(key),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_files_load_and_a_missing_key_shows_itself() {
        assert_eq!(text(Lang::Vi, "declare.title"), "Khai báo y tế");
        assert_eq!(text(Lang::En, "declare.title"), "Health declaration");
        assert_eq!(text(Lang::En, "no.such.key"), "no.such.key");
    }
}
