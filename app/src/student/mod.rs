//! The student app: the roots (`app`) of its main bundle (`main.rs` → `dist/`: the start page) and
//! its tools bundle (`bin/tools.rs` → `dist/tools/`: the pre-check interview, `precheck`, and the
//! one-page deadline tools, `tools`).

pub mod app;
pub mod precheck;
pub mod start_page;
pub mod tools;

#[cfg(test)]
mod tests {
    use crate::shell::i18n::Lang;

    /// Every step and field the forms use has a title/label in both languages.
    #[test]
    fn both_tables_cover_every_field_and_reason() {
        for lang in [Lang::Fa, Lang::En] {
            let t = lang.texts();
            // `step_title` answers an unknown page with a generic "Question": a step must have a
            // title of its own, not that one (which is never empty, so emptiness proves nothing).
            let generic = (t.step_title)("");
            for step in crate::student::precheck::flow::Step::ALL {
                let title = (t.step_title)(step.slug());
                assert!(
                    !title.is_empty() && title != generic,
                    "{lang:?} {step:?}: {title:?}"
                );
                for f in step.fields() {
                    assert!(!(t.field_label)(f.name).is_empty(), "{:?} {}", lang, f.name);
                }
            }
            for form in crate::student::tools::forms::ALL {
                for f in form.fields {
                    assert!(!(t.field_label)(f.name).is_empty(), "{:?} {}", lang, f.name);
                }
            }
        }
    }
}
