//! The pre-check's answers: one signal shared by its pages, kept in session storage.

use leptos::prelude::*;

use crate::shell::form::Answers;
use crate::shell::storage;

/// The pre-check's answers, shared by its pages and kept in session storage.
pub type PrecheckAnswers = RwSignal<Answers>;

const STORAGE_KEY: &str = "pishkhan.precheck";

/// Loads the kept answers, provides them, and saves every change.
pub fn provide_precheck_answers() {
    let answers: PrecheckAnswers = RwSignal::new(storage::load_answers(STORAGE_KEY));
    storage::save_answers_on_change(STORAGE_KEY.to_owned(), answers);
    provide_context(answers);
}

pub fn use_precheck_answers() -> PrecheckAnswers {
    expect_context::<PrecheckAnswers>()
}
