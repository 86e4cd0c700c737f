//! Checks on the real workspace: its labs are well formed and the README
//! says what their metadata says.

use std::path::Path;

use verify::labs::Workspace;
use verify::{integrity, readme, report, starter, tasks};

fn workspace() -> Workspace {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.toml");
    Workspace::load(Some(&manifest)).expect("the workspace's lab metadata is valid")
}

#[test]
fn readme_lab_table_matches_the_labs_metadata() {
    let ws = workspace();
    let expected = report::lab_table(&ws);
    let actual = report::readme_table(&ws.root.join("README.md"))
        .expect("README.md has the lab-table marks");
    assert_eq!(
        actual, expected,
        "README.md's lab table is out of date: run `cargo run -p verify -- table --write`"
    );
}

#[test]
fn every_lab_readme_follows_the_template() {
    let ws = workspace();
    let mut problems = Vec::new();
    for lab in &ws.labs {
        let path = lab.dir.join("README.md");
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        for p in readme::template_problems(lab, &text) {
            problems.push(format!(
                "{}: {p}",
                lab.rel_dir(&ws.root).join("README.md").display()
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_lab_has_a_readme_tests_and_task_regions() {
    let ws = workspace();
    assert!(!ws.labs.is_empty());
    for lab in &ws.labs {
        let dir = lab.rel_dir(&ws.root).display().to_string();
        assert!(
            lab.dir.join("README.md").is_file(),
            "{dir} has no README.md"
        );
        assert!(lab.dir.join("tests").is_dir(), "{dir} has no tests/ folder");
        let marked = starter::scan(&lab.dir).expect("markers parse");
        assert!(
            marked.iter().map(|m| m.regions.len()).sum::<usize>() > 0,
            "{dir} has no `// lab:begin` regions, so it has no exercise"
        );
        assert!(
            marked.iter().flat_map(|m| &m.regions).all(|r| !r.is_stub()),
            "{dir} is committed as a starter: `verify restore` it before committing"
        );
        if let Err(e) = tasks::check_regions(&lab.meta, &marked) {
            panic!("{dir}: {e:#}");
        }
    }
}

#[test]
fn the_tests_manifest_is_current() {
    let ws = workspace();
    let want = integrity::render(&ws).expect("every graded file is readable");
    let have = std::fs::read_to_string(ws.root.join(integrity::MANIFEST)).unwrap_or_default();
    assert!(
        have == want,
        "{} is out of date: a graded file changed. Run `cargo run -p verify -- manifest --write` and commit it",
        integrity::MANIFEST
    );
}

#[test]
fn lab_folders_are_numbered_like_their_order() {
    let ws = workspace();
    for lab in &ws.labs {
        let folder = lab.dir.file_name().and_then(|f| f.to_str()).unwrap_or("");
        assert!(
            folder.starts_with(&format!("{}-", lab.id())),
            "labs/{folder} has order = {}; name it labs/{}-…",
            lab.meta.order,
            lab.id()
        );
    }
}

/// Each lab with its package as `cargo metadata` describes it.
fn lab_packages(ws: &Workspace) -> Vec<(&verify::labs::Lab, cargo_metadata::Package)> {
    let md = cargo_metadata::MetadataCommand::new()
        .manifest_path(ws.root.join("Cargo.toml"))
        .no_deps()
        .exec()
        .expect("cargo metadata");
    ws.labs
        .iter()
        .map(|lab| {
            let pkg = md
                .packages
                .iter()
                .find(|p| p.name.as_str() == lab.package)
                .expect("the lab is a package");
            (lab, pkg.clone())
        })
        .collect()
}

#[test]
fn every_lab_rebuilds_when_the_checkout_changes() {
    // support/checkout.rs reruns when RUST_JOB_LABS_CHECKOUT changes, and
    // .cargo/config.toml sets it to the checkout's path: two checkouts that
    // share a target dir then never run each other's build.
    let ws = workspace();
    let script = std::fs::canonicalize(ws.root.join("support/checkout.rs")).expect("the script");
    for (lab, pkg) in lab_packages(&ws) {
        let build = pkg.targets.iter().find(|t| t.is_custom_build());
        assert_eq!(
            build.and_then(|t| std::fs::canonicalize(&t.src_path).ok()),
            Some(script.clone()),
            "{}: add `build = \"../../support/checkout.rs\"` to its [package]",
            lab.package
        );
    }
    let config = std::fs::read_to_string(ws.root.join(".cargo/config.toml")).expect("config");
    assert!(
        config.contains("RUST_JOB_LABS_CHECKOUT = { value = \"\", relative = true, force = true }"),
        "{config}"
    );
}

#[test]
fn labs_with_compile_fail_tests_keep_the_workspace_hack_out_of_trybuild() {
    // trybuild copies a crate's dev-dependencies into a project with its
    // own target dir: the workspace-hack there rebuilds the whole union of
    // the workspace's crates (minutes), so such labs take it only under
    // `cfg(not(trybuild))` (trybuild builds with `--cfg trybuild`).
    let ws = workspace();
    for (lab, pkg) in lab_packages(&ws) {
        if !pkg.dependencies.iter().any(|d| d.name == "trybuild") {
            continue;
        }
        let hack = pkg.dependencies.iter().find(|d| d.name == "workspace-hack");
        assert_eq!(
            hack.and_then(|d| d.target.as_ref())
                .map(ToString::to_string),
            Some("cfg(not(trybuild))".to_string()),
            "{}: put workspace-hack under [target.'cfg(not(trybuild))'.dev-dependencies]",
            lab.package
        );
    }
}
