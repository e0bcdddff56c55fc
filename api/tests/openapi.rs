//! The generated OpenAPI document: valid JSON, every `$ref` resolves, and its operations with
//! their statuses are those listed in `tests/operations.txt` (the hand-written document's, which
//! it replaced, plus what was added since), so nothing appears or disappears unnoticed.

use serde_json::Value;

fn generated() -> Value {
    serde_json::from_str(&api::openapi::json()).expect("the document is JSON")
}

/// Every operation of the document, one a line: the method, the path and every status it may
/// answer with (`tests/operations.txt`; it began as the hand-written document's list, so nothing
/// disappears unnoticed).
const OPERATIONS: &str = include_str!("operations.txt");

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The generated document's operations in the form of `operations.txt`.
fn operations(doc: &Value) -> Vec<String> {
    let mut found = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let statuses: Vec<&str> = op["responses"]
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            found.push(format!(
                "{} {path} {}",
                method.to_uppercase(),
                statuses.join(" ")
            ));
        }
    }
    found.sort_by(|a, b| {
        let key = |l: &str| {
            let mut words = l.split(' ');
            let method = words.next().unwrap_or_default().to_owned();
            (words.next().unwrap_or_default().to_owned(), method)
        };
        key(a).cmp(&key(b))
    });
    found
}

#[test]
fn the_operations_and_their_statuses_are_the_listed_ones() {
    let found = operations(&generated());
    let listed: Vec<&str> = OPERATIONS.lines().collect();
    assert!(
        listed.len() >= 35,
        "only {} operations listed",
        listed.len()
    );
    assert_eq!(
        found,
        listed,
        "the generated document's operations differ from api/tests/operations.txt; if the change \
         is meant, the file is:\n{}\n",
        found.join("\n")
    );
}

fn refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("$ref", Value::String(r)) => out.push(r.clone()),
                    _ => refs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[test]
fn every_reference_resolves_and_the_version_is_3_1() {
    let doc = generated();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let mut found = Vec::new();
    refs(&doc, &mut found);
    assert!(!found.is_empty());
    found.sort();
    found.dedup();
    let dangling: Vec<&String> = found
        .iter()
        .filter(|r| r.strip_prefix('#').is_none_or(|p| doc.pointer(p).is_none()))
        .collect();
    assert!(
        dangling.is_empty(),
        "references that do not resolve: {dangling:?}"
    );
}

#[test]
fn request_bodies_refuse_unknown_fields() {
    let doc = generated();
    for name in [
        "Lookup",
        "Login",
        "NewUser",
        "UserChange",
        "Move",
        "CodeCheck",
        "RawPrecheck",
        "SigninCode",
        "SigninVerify",
    ] {
        let schema = &doc["components"]["schemas"][name];
        // A schema with conditions is `allOf: [the object, oneOf: [...]]`.
        let object = schema["allOf"].get(0).unwrap_or(schema);
        assert_eq!(object["additionalProperties"], false, "{name}: {schema:#}");
    }
}

#[test]
fn state_changing_staff_calls_need_the_csrf_token() {
    let doc = generated();
    let logout = &doc["paths"]["/api/v1/staff/logout"]["post"]["security"];
    assert_eq!(logout[0]["csrfToken"], serde_json::json!([]), "{logout:#}");
    assert!(doc["components"]["securitySchemes"]["applicantToken"].is_object());
    // A person's sign-out too, and an admin's roster import.
    for path in ["/api/v1/signin/logout", "/api/v1/admin/roster"] {
        let security = &doc["paths"][path]["post"]["security"];
        assert_eq!(
            security[0]["csrfToken"],
            serde_json::json!([]),
            "{path}: {security:#}"
        );
    }
    let cookie = &doc["components"]["securitySchemes"]["personSession"];
    assert_eq!(cookie["in"], "cookie");
    assert_eq!(cookie["name"], "pishkhan_person");
}

#[test]
fn a_move_requires_its_action_and_version() {
    let doc = generated();
    for name in ["Move", "ApplicantMove"] {
        let required = &doc["components"]["schemas"][name]["required"];
        assert_eq!(
            *required,
            serde_json::json!(["action", "version"]),
            "{name}"
        );
    }
}
