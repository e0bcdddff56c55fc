//! The generated OpenAPI document: valid JSON, every `$ref` resolves, and every operation of the
//! hand-written document it replaces (`server/src/openapi.json`) is still there, so nothing
//! disappears. (A templated path whose parameter is an enum, `/api/v1/{rule}`, is now one path
//! per value, each with its own body.)

use serde_json::Value;

fn generated() -> Value {
    serde_json::from_str(&api::openapi::json()).expect("the document is JSON")
}

fn hand_written() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../server/src/openapi.json");
    let text = std::fs::read_to_string(path).expect("server/src/openapi.json");
    serde_json::from_str(&text).expect("server/src/openapi.json is JSON")
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The paths an old path stands for: itself, or one per value of its enum path parameter.
/// (An expanded path drops its 404, which only said "no such value".)
fn instances(path: &str, op: &Value) -> Vec<String> {
    let params = op["parameters"].as_array().cloned().unwrap_or_default();
    for p in params {
        let name = p["name"].as_str().unwrap_or_default();
        let template = format!("{{{name}}}");
        if p["in"] == "path" && path.contains(&template) {
            if let Some(values) = p["schema"]["enum"].as_array() {
                return values
                    .iter()
                    .map(|v| path.replace(&template, v.as_str().unwrap()))
                    .collect();
            }
        }
    }
    vec![path.to_owned()]
}

#[test]
fn every_operation_of_the_hand_written_document_is_generated() {
    let new = generated();
    let old = hand_written();
    let mut missing = Vec::new();
    let mut checked = 0;
    for (path, item) in old["paths"].as_object().unwrap() {
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            for instance in instances(path, op) {
                checked += 1;
                let found = &new["paths"][&instance][method];
                if !found.is_object() {
                    missing.push(format!("{} {instance}", method.to_uppercase()));
                    continue;
                }
                // Every status the old document listed is still listed.
                let expanded = instance != *path;
                for status in op["responses"].as_object().unwrap().keys() {
                    if expanded && status == "404" {
                        continue;
                    }
                    if found["responses"].get(status).is_none() {
                        missing.push(format!("{} {instance} → {status}", method.to_uppercase()));
                    }
                }
            }
        }
    }
    assert!(checked >= 29, "only {checked} operations read");
    assert!(
        missing.is_empty(),
        "missing from the generated document: {missing:#?}"
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
}
