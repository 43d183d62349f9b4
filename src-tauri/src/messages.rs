//! The UI's message files, for the few texts the Rust side shows outside the
//! webview (system notifications). One source of words: `ui/src/i18n/`.

use std::collections::HashMap;
use std::sync::OnceLock;

use vaora_core::Language;

static VI: &str = include_str!("../../ui/src/i18n/vi.json");
static EN: &str = include_str!("../../ui/src/i18n/en.json");

fn catalog(language: Language) -> &'static HashMap<String, String> {
    static CATALOGS: OnceLock<[HashMap<String, String>; 2]> = OnceLock::new();
    let [vi, en] = CATALOGS.get_or_init(|| {
        // The files are checked by the UI's tests; a broken one gives keys.
        let parse = |text: &str| serde_json::from_str(text).unwrap_or_default();
        [parse(VI), parse(EN)]
    });
    match language {
        Language::Vi => vi,
        Language::En => en,
    }
}

/// The sentence for `key` in `language` (Vietnamese if missing), with each
/// `{name}` replaced by its value.
pub fn tr(key: &str, language: Language, args: &[(&str, &str)]) -> String {
    let template = catalog(language)
        .get(key)
        .or_else(|| catalog(Language::Vi).get(key))
        .map_or(key, String::as_str);
    let mut text = template.to_owned();
    for (name, value) in args {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text
}

/// Untrusted text for a system notification: some notification servers
/// read the body as markup, so the markup characters are replaced by
/// look-alikes that cannot be interpreted.
pub fn plain(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '<' => '‹',
            '>' => '›',
            '&' => '＆',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_come_from_the_ui_files_with_values_filled_in() {
        let vi = tr(
            "reminder.title",
            Language::Vi,
            &[("place", "Chợ Bến Thành")],
        );
        assert!(
            vi.contains("Chợ Bến Thành") && !vi.contains("{place}"),
            "{vi}"
        );
        let en = tr(
            "reminder.title",
            Language::En,
            &[("place", "Chợ Bến Thành")],
        );
        assert_ne!(vi, en);
        // Built at run time so the key check (tests/message_keys.rs) skips it.
        let missing = ["no", "such", "key"].join(".");
        assert_eq!(tr(&missing, Language::En, &[]), missing);
    }

    #[test]
    fn markup_in_untrusted_text_is_neutralised() {
        assert_eq!(plain("<b>A&B</b>\n"), "‹b›A＆B‹/b› ");
    }
}
