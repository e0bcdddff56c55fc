//! The drafts' migration knows every date field of every form of every bundle (the student app's
//! pre-check and tools, the request forms): a test across bundles, so it lives outside them.

use app::forms::drafts::model::DATE_FIELDS;
use app::shell::form::Kind;

#[test]
fn every_date_field_of_the_forms_is_known() {
    let precheck = app::student::precheck::flow::Step::ALL
        .iter()
        .flat_map(|s| s.fields().iter());
    let tools = app::student::tools::forms::ALL
        .iter()
        .flat_map(|f| f.fields.iter());
    let requests = app::shell::request_forms::flow::ALL
        .iter()
        .flat_map(|f| f.pages.iter().flat_map(|p| p.fields.iter()));
    for field in precheck
        .chain(tools)
        .chain(requests)
        .filter(|f| f.kind == Kind::Date)
    {
        assert!(DATE_FIELDS.contains(&field.name), "{} missing", field.name);
    }
}
