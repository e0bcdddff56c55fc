//! The server's layering (ARCHITECTURE.md, "Invariants"), checked on the source: every file's
//! `crate::…`, `super::…`, `self::…` and child-module (`mod x;` … `x::…`) paths, in `use` and
//! in code, are resolved to the file they name, and
//! - a route module (`http/routes/<x>.rs`) imports no other route module;
//! - `domain` imports nothing from `store`, `services`, `http` or `cli`;
//! - `store` imports nothing from `services`, `http` or `cli`;
//! - `services` imports nothing from `http` or `cli`; `http` nothing from `cli`;
//! - no two files import each other, directly or in a circle.
//!
//! Plain Rust, no parser crate: comments, strings and character literals are blanked first, so
//! a path in a doc comment or a message does not count.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A file by its module path: `["http", "routes", "staff"]` for `http/routes/staff.rs`, `[]`
/// for `lib.rs` (and `main.rs`, whose `server::…` paths are the library's).
type Module = Vec<String>;

/// Every `.rs` file under `src`, by module path, with its text.
fn sources(src: &Path) -> BTreeMap<Module, (PathBuf, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("server/src is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(src, &mut files);
    let mut out = BTreeMap::new();
    for path in files {
        let relative = path.strip_prefix(src).unwrap().with_extension("");
        let mut module: Module = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if matches!(
            module.last().map(String::as_str),
            Some("mod" | "lib" | "main")
        ) {
            module.pop();
        }
        let text = std::fs::read_to_string(&path).unwrap();
        if module.is_empty() && path.ends_with("main.rs") {
            // The binary: a crate of its own that uses the library as `server::…`.
            out.insert(vec!["<main>".to_owned()], (path, text));
        } else {
            out.insert(module, (path, text));
        }
    }
    out
}

/// The text with comments, string literals (raw ones too) and character literals replaced by
/// spaces (newlines kept), so only code is left.
fn code_only(text: &str) -> String {
    let b: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < b.len() && b[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == '/' && b.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if b[i] == '*' && b.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(b[i]));
                    i += 1;
                }
            }
        } else if c == 'r'
            && (next == Some('"') || next == Some('#'))
            && !b
                .get(i.wrapping_sub(1))
                .is_some_and(|p| p.is_alphanumeric() || *p == '_')
        {
            // A raw string r"…" or r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                if j >= b.len() {
                    break;
                }
                if b[j] == '"' && (0..hashes).all(|k| b.get(j + 1 + k) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            for &ch in &b[i..j.min(b.len())] {
                out.push(blank(ch));
            }
            i = j;
        } else if c == '"' {
            out.push(' ');
            i += 1;
            while i < b.len() && b[i] != '"' {
                if b[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < b.len() {
                    out.push(blank(b[i]));
                    i += 1;
                }
            }
            out.push(' ');
            i += 1;
        } else if c == '\'' {
            // A character literal ('x', '\n', '\u{…}'), else a lifetime.
            let end = if next == Some('\\') {
                (i + 2..b.len().min(i + 12)).find(|&j| b[j] == '\'')
            } else if b.get(i + 2) == Some(&'\'') {
                Some(i + 2)
            } else {
                None
            };
            match end {
                Some(end) => {
                    for _ in i..=end {
                        out.push(' ');
                    }
                    i = end + 1;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    Path, // ::
    Open,
    Close,
    Comma,
    Star,
    Other(char),
}

fn tokens(code: &str) -> Vec<Token> {
    let c: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        let ch = c[i];
        if ch.is_alphabetic() || ch == '_' {
            let start = i;
            while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                i += 1;
            }
            out.push(Token::Ident(c[start..i].iter().collect()));
            continue;
        }
        if ch == ':' && c.get(i + 1) == Some(&':') {
            out.push(Token::Path);
            i += 2;
            continue;
        }
        match ch {
            '{' => out.push(Token::Open),
            '}' => out.push(Token::Close),
            ',' => out.push(Token::Comma),
            '*' => out.push(Token::Star),
            c if c.is_whitespace() => {}
            c => out.push(Token::Other(c)),
        }
        i += 1;
    }
    out
}

/// Reads the path tree after `prefix ::` at `tokens[i]`, adding every full path to `out`;
/// returns the index after it.
fn path_tree(
    tokens: &[Token],
    mut i: usize,
    prefix: Vec<String>,
    out: &mut Vec<Vec<String>>,
) -> usize {
    let mut path = prefix;
    loop {
        match tokens.get(i) {
            Some(Token::Ident(name)) => {
                path.push(name.clone());
                i += 1;
                if tokens.get(i) == Some(&Token::Path) {
                    i += 1;
                    continue;
                }
                out.push(path);
                return i;
            }
            Some(Token::Open) => {
                i += 1;
                loop {
                    match tokens.get(i) {
                        Some(Token::Close) => return i + 1,
                        Some(Token::Comma) => i += 1,
                        Some(_) => i = path_tree(tokens, i, path.clone(), out),
                        None => return i,
                    }
                }
            }
            Some(Token::Star) => {
                out.push(path);
                return i + 1;
            }
            _ => {
                out.push(path);
                return i;
            }
        }
    }
}

/// Every module path a file's code names: `crate::a::b…` (or `server::…` in the binary), and
/// `super::…` resolved against the file's module and the inline modules (`mod tests { … }`)
/// it is written in.
fn named_paths(module: &Module, is_main: bool, text: &str) -> Vec<Vec<String>> {
    let toks = tokens(&code_only(text));
    // The child modules this file declares (`mod x;` / `pub mod x;`).
    let children: BTreeSet<&str> = toks
        .windows(3)
        .filter_map(|w| match w {
            [Token::Ident(m), Token::Ident(name), Token::Other(';')] if m == "mod" => {
                Some(name.as_str())
            }
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    // The inline modules open at this point, by the brace depth they opened at.
    let mut inline: Vec<usize> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < toks.len() {
        match &toks[i] {
            Token::Open => {
                depth += 1;
                i += 1;
                continue;
            }
            Token::Close => {
                if inline.last() == Some(&depth) {
                    inline.pop();
                }
                depth = depth.saturating_sub(1);
                i += 1;
                continue;
            }
            Token::Ident(word)
                if word == "mod"
                    && matches!(toks.get(i + 1), Some(Token::Ident(_)))
                    && toks.get(i + 2) == Some(&Token::Open) =>
            {
                inline.push(depth + 1);
                i += 2;
                continue;
            }
            Token::Ident(word)
                if (word == "crate" || (is_main && word == "server"))
                    && toks.get(i + 1) == Some(&Token::Path)
                    && !matches!(i.checked_sub(1).map(|p| &toks[p]), Some(Token::Path)) =>
            {
                i = path_tree(&toks, i + 2, Vec::new(), &mut out);
                continue;
            }
            Token::Ident(word)
                if word == "self"
                    && inline.is_empty()
                    && toks.get(i + 1) == Some(&Token::Path)
                    && !matches!(i.checked_sub(1).map(|p| &toks[p]), Some(Token::Path)) =>
            {
                i = path_tree(&toks, i + 2, module.clone(), &mut out);
                continue;
            }
            Token::Ident(word)
                if inline.is_empty()
                    && children.contains(word.as_str())
                    && toks.get(i + 1) == Some(&Token::Path)
                    && !matches!(i.checked_sub(1).map(|p| &toks[p]), Some(Token::Path)) =>
            {
                // A path from a child module declared here (`mod x;` … `x::item`, `pub use
                // x::…`).
                i = path_tree(&toks, i, module.clone(), &mut out);
                continue;
            }
            Token::Ident(word)
                if word == "super"
                    && toks.get(i + 1) == Some(&Token::Path)
                    && !matches!(i.checked_sub(1).map(|p| &toks[p]), Some(Token::Path)) =>
            {
                // Count the `super::` in a row; those within inline modules stay in this file.
                let mut ups = 0usize;
                let mut j = i;
                while toks.get(j) == Some(&Token::Ident("super".into()))
                    && toks.get(j + 1) == Some(&Token::Path)
                {
                    ups += 1;
                    j += 2;
                }
                let beyond_file = ups.saturating_sub(inline.len());
                let mut base = module.clone();
                for _ in 0..beyond_file {
                    base.pop();
                }
                i = path_tree(&toks, j, base, &mut out);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// The file a path names: its longest prefix that is a module of the crate.
fn resolve(path: &[String], modules: &BTreeSet<Module>) -> Module {
    (0..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|prefix| modules.contains(prefix))
        .unwrap_or_default()
}

/// Each file's imports (other files of the crate it names).
fn import_graph(files: &BTreeMap<Module, (PathBuf, String)>) -> BTreeMap<Module, BTreeSet<Module>> {
    let modules: BTreeSet<Module> = files.keys().cloned().collect();
    files
        .iter()
        .map(|(module, (_, text))| {
            let is_main = module.first().is_some_and(|m| m == "<main>");
            let own = if is_main { Vec::new() } else { module.clone() };
            let imports = named_paths(&own, is_main, text)
                .iter()
                .map(|p| resolve(p, &modules))
                .filter(|target| *target != own && *target != *module)
                .collect();
            (module.clone(), imports)
        })
        .collect()
}

fn name(module: &Module) -> String {
    if module.is_empty() {
        "lib.rs".to_owned()
    } else {
        module.join("::")
    }
}

fn in_layer(module: &Module, layer: &str) -> bool {
    module.first().is_some_and(|m| m == layer)
}

fn route_module(module: &Module) -> bool {
    module.len() == 3 && module[0] == "http" && module[1] == "routes"
}

/// Every broken rule, worded.
fn violations(graph: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<String> {
    let forbidden: [(&str, &[&str]); 4] = [
        ("domain", &["store", "services", "http", "cli"]),
        ("store", &["services", "http", "cli"]),
        ("services", &["http", "cli"]),
        ("http", &["cli"]),
    ];
    let mut out = Vec::new();
    for (from, imports) in graph {
        for to in imports {
            if route_module(from) && route_module(to) {
                out.push(format!(
                    "route module {} imports route module {}",
                    name(from),
                    name(to)
                ));
            }
            for (layer, below) in &forbidden {
                if in_layer(from, layer) && below.iter().any(|b| in_layer(to, b)) {
                    out.push(format!("{} ({layer}) imports {}", name(from), name(to)));
                }
            }
        }
    }
    out.extend(cycles(graph));
    out
}

/// The import cycles between files, each worded once.
fn cycles(graph: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<String> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    fn visit(
        at: &Module,
        graph: &BTreeMap<Module, BTreeSet<Module>>,
        marks: &mut BTreeMap<Module, Mark>,
        stack: &mut Vec<Module>,
        out: &mut Vec<String>,
    ) {
        marks.insert(at.clone(), Mark::Open);
        stack.push(at.clone());
        for next in graph.get(at).into_iter().flatten() {
            match marks.get(next).copied().unwrap_or(Mark::New) {
                Mark::New => visit(next, graph, marks, stack, out),
                Mark::Open => {
                    let from = stack.iter().position(|m| m == next).unwrap();
                    let names: Vec<String> = stack[from..].iter().map(name).collect();
                    out.push(format!(
                        "import cycle: {} → {}",
                        names.join(" → "),
                        name(next)
                    ));
                }
                Mark::Done => {}
            }
        }
        stack.pop();
        marks.insert(at.clone(), Mark::Done);
    }
    let mut marks = BTreeMap::new();
    let mut out = Vec::new();
    for module in graph.keys() {
        if marks.get(module).copied().unwrap_or(Mark::New) == Mark::New {
            visit(module, graph, &mut marks, &mut Vec::new(), &mut out);
        }
    }
    out
}

#[test]
fn the_server_keeps_its_layers_and_has_no_import_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = sources(&src);
    assert!(files.len() > 30, "read {} files", files.len());
    let graph = import_graph(&files);
    // The reading itself works: known imports are seen.
    let staff = vec!["http".to_owned(), "routes".to_owned(), "staff".to_owned()];
    let state = vec!["http".to_owned(), "state".to_owned()];
    assert!(graph[&staff].contains(&state), "{:?}", graph[&staff]);
    let found = violations(&graph);
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// The checks can fail: a made-up crate with each kind of fault.
#[test]
fn the_checks_find_each_kind_of_fault() {
    let file = |path: &str, text: &str| {
        let module: Module = path.split('/').map(str::to_owned).collect();
        (module, (PathBuf::from(path), text.to_owned()))
    };
    let files: BTreeMap<Module, (PathBuf, String)> = [
        file(
            "http/routes/a",
            "use crate::http::routes::b::helper;\nuse crate::domain::x;",
        ),
        file(
            "http/routes/b",
            "// use crate::http::routes::a; (a comment)\nconst S: &str = \"crate::cli\";\n\
             fn f() { crate::http::state::thing(); }\n\
             #[cfg(test)] mod tests { use super::*; }",
        ),
        file("http/state", "use crate::store::{Store, other::{Deep}};"),
        file("store", "pub mod other;\npub use other::Deep;"),
        file(
            "store/other",
            "use super::Store; use crate::http::state::AppState;",
        ),
        file("domain", "pub mod x;"),
        file("domain/x", "use crate::store::Store;"),
        file("cli", "use crate::domain;"),
    ]
    .into_iter()
    .collect();
    let graph = import_graph(&files);
    let b = vec!["http".into(), "routes".into(), "b".into()];
    let expected: BTreeSet<Module> = [vec!["http".into(), "state".into()]].into_iter().collect();
    assert_eq!(
        graph[&b], expected,
        "comments, strings and `super` in tests"
    );
    let found = violations(&graph);
    for fault in [
        "route module http::routes::a imports route module http::routes::b",
        "domain::x (domain) imports store",
        "store::other (store) imports http::state",
        // A circle through `use`, and one through a re-export (`pub use other::…`).
        "import cycle: store::other → http::state → store::other",
        "import cycle: store → store::other → store",
    ] {
        assert!(
            found.iter().any(|f| f == fault),
            "{fault} not in {found:#?}"
        );
    }
}
