fn main() {
    for s in [
        r#"{"today":"1403-07-15","level":"bachelor_continuous","study_start":"1401-07-01","institution_approved":true,"unjustified_absence":false,"foo":1}"#,
        r#"{"today":"1403-07-15","level":"bachelor_continuous","study_start":"1401-07-01","institution_approved":true,"unjustified_absence":false,"abroad":{"parent_permanent_government_staff":true,"bar":2}}"#,
        r#"{"today":"1403-07-15","level":"bachelor_continuous","study_start":"1401-07-01","institution_approved":"yes","unjustified_absence":false}"#,
        r#"{"today":"1403-07-15","level":"bachelor_continuous","study_start":"1401-07-01","institution_approved":true,"unjustified_absence":false,"withdrawn_renewals_used":-1}"#,
        r#"{"today":"1403-07-15","level":"bachelor_continuous","study_start":"1401-07-01","institution_approved":true,"unjustified_absence":false,"abroad":{"parent_permanent_government_staff":true,"semesters_completed":"x"}}"#,
        r#"{"today":"1403-07-15","level":"bachelor_continuous","study_start":"1404-12-30","institution_approved":true,"unjustified_absence":false}"#,
        r#"{"today":"1403-07-15","level":"bachelor_continuous","study_start":"1397-07-01","previous_graduation":"1396-04-31","institution_approved":true,"unjustified_absence":false,"commission_extension":true}"#,
    ] {
        let v: serde_json::Value = serde_json::from_str(s).unwrap();
        match rules::Tool::Precheck.answer(v) {
            Ok(v) => println!("{v}"),
            Err(e) => println!("{}", e.to_json()),
        }
    }
}
