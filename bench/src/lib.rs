//! Inputs for the benchmarks: a realistic pre-check and a roster of admitted students; `load`,
//! the load generators' servers and measurements; `submit` and `moves`, the loads themselves.

pub mod load;
pub mod moves;
pub mod submit;

/// One admitted student's pre-check, as the CLI and the API receive it.
pub fn one_precheck() -> serde_json::Value {
    serde_json::json!({
        "today": "1403-07-15",
        "birth_date": "1382-05-10",
        "level": "bachelor_continuous",
        "study_start": "1401-07-01",
        "previous_graduation": "1401-04-31",
        "institution_approved": true,
        "unjustified_absence": false,
        "prior_exemption_same_level": false,
        "withdrew_from_same_level": false,
        "withdrawn_renewals_used": 0,
        "commission_extension": false,
        "abroad": null
    })
}

/// A roster of `n` JSON lines: varied levels, start dates and graduation dates, some of them late
/// or past their allowed years, a few with Persian digits, so every rule runs.
pub fn roster(n: usize) -> String {
    // The levels that have allowed years (every level but school and the seminary).
    let levels: Vec<&str> = rules::Level::ALL
        .into_iter()
        .filter(|l| !matches!(l, rules::Level::School | rules::Level::Seminary))
        .map(rules::Level::id)
        .collect();
    let mut out = String::with_capacity(n * 260);
    for i in 0..n {
        let level = levels[i % levels.len()];
        let start_year = 1395 + (i % 9);
        let month = i % 12 + 1;
        let day = i % 29 + 1;
        let grad_year = start_year - 1 - (i % 3) / 2;
        let start = format!("{start_year}-{month:02}-{day:02}");
        let start = if i % 10 == 0 {
            rules::digits::to_persian_digits(&start)
        } else {
            start
        };
        out.push_str(&format!(
            "{{\"today\":\"1403-07-15\",\"level\":\"{level}\",\"study_start\":\"{start}\",\"previous_graduation\":\"{grad_year}-04-31\",\"institution_approved\":{},\"unjustified_absence\":false,\"commission_extension\":{}}}\n",
            i % 50 != 0,
            i % 4 == 0
        ));
    }
    out
}
