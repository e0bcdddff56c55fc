//! The app's layout (ARCHITECTURE.md, "Invariants"), checked from the source of `app/src`: a
//! bundle's folder (`student`, `forms`, `staff`, `kiosk`) imports only the shell and itself, the
//! shell imports no bundle, and no file of app/src imports itself through a chain of imports. An
//! import is any path that starts with `crate::`, `super::`, `self::` or the name of a child
//! module, whether in a `use` or inline; it points at the deepest file its segments name.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const SHELL: &str = "shell";
const BUNDLES: [&str; 4] = ["student", "forms", "staff", "kiosk"];
/// What else app/src may hold besides the shell and the bundles: the crate root and the four
/// binaries (separate crates, which only call `app::start…`).
const ROOT_ENTRIES: [&str; 3] = ["lib.rs", "main.rs", "bin"];

/// app/src's files (paths relative to it, with `/`) and their text.
type Tree = BTreeMap<String, String>;

fn read_tree(dir: &Path, rel: &str, tree: &mut Tree) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("app/src is readable")
        .map(|e| e.expect("an entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let rel = if rel.is_empty() {
            name
        } else {
            format!("{rel}/{name}")
        };
        if path.is_dir() {
            read_tree(&path, &rel, tree);
        } else if rel.ends_with(".rs") {
            tree.insert(rel, std::fs::read_to_string(&path).expect("a source file"));
        }
    }
}

/// The module a file is: `a/b.rs` and `a/b/mod.rs` are `a::b`, `lib.rs` the crate root.
fn module_of(file: &str) -> Vec<String> {
    let file = file.strip_suffix(".rs").expect("a .rs file");
    let file = file.strip_suffix("/mod").unwrap_or(file);
    if file == "lib" {
        return Vec::new();
    }
    file.split('/').map(str::to_owned).collect()
}

/// The file of a module, if it has one.
fn file_of(tree: &Tree, module: &[String]) -> Option<String> {
    if module.is_empty() {
        return Some("lib.rs".to_owned());
    }
    let base = module.join("/");
    [format!("{base}.rs"), format!("{base}/mod.rs")]
        .into_iter()
        .find(|f| tree.contains_key(f))
}

/// The text without comment lines (doc comments name modules in prose) and trailing comments.
fn code_of(text: &str) -> String {
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .map(|l| match l.find(" // ") {
            Some(i) if !l[..i].contains('"') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The paths of the use-tree (or inline path) that starts at `pos`: `a::{b, c::{self, d}}` is
/// `a::b`, `a::c`, `a::c::d`.
fn paths_at(code: &[char], pos: &mut usize, prefix: Vec<String>) -> Vec<Vec<String>> {
    let mut prefix = prefix;
    loop {
        while *pos < code.len() && code[*pos].is_whitespace() {
            *pos += 1;
        }
        if code.get(*pos) == Some(&'{') {
            *pos += 1;
            let mut all = Vec::new();
            loop {
                while *pos < code.len() && (code[*pos].is_whitespace() || code[*pos] == ',') {
                    *pos += 1;
                }
                if *pos >= code.len() || code[*pos] == '}' {
                    *pos += 1;
                    return all;
                }
                all.extend(paths_at(code, pos, prefix.clone()));
                // Skip `as name` up to the next item or the end of the group.
                while *pos < code.len() && code[*pos] != ',' && code[*pos] != '}' {
                    *pos += 1;
                }
            }
        }
        let start = *pos;
        while *pos < code.len() && is_ident(code[*pos]) {
            *pos += 1;
        }
        let ident: String = code[start..*pos].iter().collect();
        if ident.is_empty() || (ident == "self" && !prefix.is_empty()) {
            return vec![prefix];
        }
        prefix.push(ident);
        if code.get(*pos) == Some(&':') && code.get(*pos + 1) == Some(&':') {
            *pos += 2;
        } else {
            return vec![prefix];
        }
    }
}

/// The ranges of the inline modules (`mod tests { … }`) of a file's code.
fn inline_modules(code: &[char]) -> Vec<(usize, usize)> {
    let text: String = code.iter().collect();
    let mut ranges = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("mod ") {
        let at = from + i;
        from = at + 4;
        if at > 0 && is_ident(text[..at].chars().last().unwrap()) {
            continue;
        }
        let rest = &text[at + 4..];
        let name_len = rest.find(|c: char| !is_ident(c)).unwrap_or(rest.len());
        if !rest[name_len..].trim_start().starts_with('{') {
            continue;
        }
        // Char indices: the code is mostly ASCII, but Persian text is not.
        let open = text[..at].chars().count() + 4 + rest[..name_len].chars().count();
        let open = (open..code.len()).find(|&k| code[k] == '{').unwrap();
        let mut depth = 0;
        for (k, c) in code.iter().enumerate().skip(open) {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        ranges.push((open, k));
                        break;
                    }
                }
                _ => {}
            }
        }
    }
    ranges
}

/// The files of app/src that `file` imports (itself left out).
fn imports(tree: &Tree, file: &str) -> BTreeSet<String> {
    let module = module_of(file);
    let children: BTreeSet<String> = tree
        .keys()
        .filter_map(|f| {
            let m = module_of(f);
            (m.len() == module.len() + 1 && m.starts_with(&module)).then(|| m[module.len()].clone())
        })
        .collect();
    let code: Vec<char> = code_of(&tree[file]).chars().collect();
    let inline = inline_modules(&code);
    let mut found = BTreeSet::new();
    let mut i = 0;
    while i < code.len() {
        if !is_ident(code[i])
            || (i > 0 && (is_ident(code[i - 1]) || matches!(code[i - 1], ':' | '$')))
        {
            i += 1;
            continue;
        }
        let mut pos = i;
        let first = paths_at(&code, &mut pos, Vec::new());
        let head = first[0][0].clone();
        let starts = |p: &Vec<String>| p.len() > 1 || code.get(pos) == Some(&'{');
        let base: Option<Vec<String>> = match head.as_str() {
            "crate" => Some(Vec::new()),
            "super" => {
                let supers = first[0].iter().take_while(|s| *s == "super").count();
                let depth = inline.iter().filter(|(a, b)| *a < i && i < *b).count();
                Some(module[..module.len().saturating_sub(supers.saturating_sub(depth))].to_vec())
            }
            "self" => Some(module.clone()),
            child if children.contains(child) && first.iter().any(starts) => Some(module.clone()),
            _ => None,
        };
        if let Some(base) = base {
            for path in first {
                let rest = path
                    .iter()
                    .skip_while(|s| matches!(s.as_str(), "crate" | "super" | "self"));
                let mut at = base.clone();
                let mut target = file_of(tree, &at);
                for seg in rest {
                    at.push(seg.clone());
                    match file_of(tree, &at) {
                        Some(f) => target = Some(f),
                        None => break,
                    }
                }
                if let Some(t) = target.filter(|t| t != file) {
                    found.insert(t);
                }
            }
        }
        i = pos.max(i + 1);
    }
    found
}

/// Which part of the app a file belongs to: `shell`, a bundle, or `lib.rs`.
fn part_of(file: &str) -> &str {
    file.split('/').next().unwrap()
}

/// Every breach of the layout, in words (none when it holds).
fn problems(tree: &Tree) -> Vec<String> {
    let mut out = Vec::new();
    let files: Vec<&String> = tree
        .keys()
        .filter(|f| *f != "main.rs" && !f.starts_with("bin/"))
        .collect();
    for f in &files {
        let part = part_of(f);
        if part != SHELL && !BUNDLES.contains(&part) && !ROOT_ENTRIES.contains(&part) {
            out.push(format!("{f} is neither the shell nor in a bundle's folder"));
        }
    }
    let graph: BTreeMap<&str, BTreeSet<String>> = files
        .iter()
        .map(|f| (f.as_str(), imports(tree, f)))
        .collect();
    for (from, tos) in &graph {
        let part = part_of(from);
        for to in tos {
            let allowed = match part {
                SHELL => part_of(to) == SHELL,
                p if BUNDLES.contains(&p) => part_of(to) == SHELL || part_of(to) == p,
                _ => true,
            };
            if !allowed {
                out.push(format!("{from} imports {to}"));
            }
        }
    }
    // Cycles: a depth-first walk from every file; a file met again on the current path closes one.
    let mut reported = BTreeSet::new();
    for start in graph.keys() {
        let mut path = vec![start.to_string()];
        walk(
            &graph,
            &mut path,
            &mut BTreeSet::new(),
            &mut reported,
            &mut out,
        );
    }
    out
}

fn walk(
    graph: &BTreeMap<&str, BTreeSet<String>>,
    path: &mut Vec<String>,
    done: &mut BTreeSet<String>,
    reported: &mut BTreeSet<BTreeSet<String>>,
    out: &mut Vec<String>,
) {
    let last = path.last().unwrap().clone();
    if !done.insert(last.clone()) {
        return;
    }
    for next in graph.get(last.as_str()).into_iter().flatten() {
        if let Some(at) = path.iter().position(|p| p == next) {
            let cycle: Vec<String> = path[at..].to_vec();
            if reported.insert(cycle.iter().cloned().collect()) {
                out.push(format!("import cycle: {} -> {next}", cycle.join(" -> ")));
            }
            continue;
        }
        path.push(next.clone());
        walk(graph, path, done, reported, out);
        path.pop();
    }
}

#[test]
fn bundles_import_only_the_shell_and_themselves_and_no_file_imports_itself() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut tree = Tree::new();
    read_tree(&src, "", &mut tree);
    assert!(tree.contains_key("shell/mod.rs"), "app/src/shell/ exists");
    let found = problems(&tree);
    assert!(
        found.is_empty(),
        "the app's layout is broken:\n{}",
        found.join("\n")
    );
}

/// The check itself can fail: a made-up tree with every kind of breach.
#[test]
fn the_check_finds_each_kind_of_breach() {
    let tree: Tree = [
        ("lib.rs", "pub mod shell; pub mod student; pub mod staff;"),
        ("shell/mod.rs", "pub mod a;"),
        ("shell/a.rs", "use crate::student::x::X;"),
        ("student/mod.rs", "pub mod x;\npub mod y;\nuse x::X;"),
        (
            "student/x.rs",
            "use super::y::Y;\n#[cfg(test)]\nmod tests {\n    use super::*;\n}",
        ),
        (
            "student/y.rs",
            "use crate::{shell::a, student::x::{self, X}};",
        ),
        ("staff/mod.rs", "fn f() { crate::student::y::g(); }"),
        ("tools.rs", ""),
    ]
    .into_iter()
    .map(|(f, t)| (f.to_owned(), t.to_owned()))
    .collect();
    assert_eq!(
        imports(&tree, "student/y.rs"),
        ["shell/a.rs", "student/x.rs"].map(str::to_owned).into()
    );
    assert_eq!(
        imports(&tree, "student/mod.rs"),
        ["student/x.rs"].map(str::to_owned).into()
    );
    let found = problems(&tree);
    for expected in [
        "tools.rs is neither the shell nor in a bundle's folder",
        "shell/a.rs imports student/x.rs",
        "staff/mod.rs imports student/y.rs",
        "import cycle: shell/a.rs -> student/x.rs -> student/y.rs -> shell/a.rs",
        "import cycle: student/x.rs -> student/y.rs -> student/x.rs",
    ] {
        assert!(
            found.iter().any(|p| p == expected),
            "{expected} in {found:?}"
        );
    }
    assert_eq!(found.len(), 5, "{found:?}");
}
