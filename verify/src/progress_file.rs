//! `.labs/progress.json`: where the learner is, kept between runs.
//!
//! Every graded run (`verify`, `verify report`, `verify hint`) records, per
//! task of the lab it graded, whether the task is done now, when it first
//! passed, and how many hints were shown for it (`hint` counts them here).
//! The file is git-ignored with the rest of `.labs/`; deleting it starts the
//! record afresh, it never changes a grade.
//!
//! ```json
//! { "version": 1,
//!   "labs": { "lab01-ownership": { "graded_at": "2026-12-02T21:05:09Z",
//!     "tasks": { "concat": { "done": true,
//!                            "first_passed": "2026-12-02T21:05:09Z",
//!                            "hints_used": 1 } } } } }
//! ```

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use crate::grade::LabResult;
use crate::labs::{Lab, Task, Workspace};

/// The file, relative to the workspace root.
pub const PATH: &str = ".labs/progress.json";
const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressFile {
    pub version: u32,
    /// Per lab package name.
    pub labs: BTreeMap<String, LabProgress>,
}

impl Default for ProgressFile {
    fn default() -> Self {
        ProgressFile {
            version: VERSION,
            labs: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabProgress {
    /// When the lab was last graded (RFC 3339, UTC); `None` when only
    /// hints were asked for.
    pub graded_at: Option<String>,
    /// Per task id.
    pub tasks: BTreeMap<String, TaskProgress>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskProgress {
    /// Every test of the task passed at the last grading.
    pub done: bool,
    /// The first grading at which it was done; kept when it fails later.
    pub first_passed: Option<String>,
    /// Hints shown for it (`make hint`).
    pub hints_used: usize,
}

/// Where the learner goes next: the first task not done, in lab order.
#[derive(Debug, Clone)]
pub struct Next<'a> {
    pub lab: &'a Lab,
    pub task: &'a Task,
    /// Task number, from 1.
    pub number: usize,
    /// The lab was never graded here, so its tasks are open as far as the
    /// record knows.
    pub never_graded: bool,
}

fn path(ws: &Workspace) -> PathBuf {
    ws.root.join(PATH)
}

impl ProgressFile {
    /// The saved record; an empty one when there is none yet. A file that
    /// is not a progress record is an error (never silently replaced).
    pub fn load(ws: &Workspace) -> Result<ProgressFile> {
        let path = path(ws);
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        };
        let file: ProgressFile = serde_json::from_str(&text).with_context(|| {
            format!(
                "{} is not a progress record (move it away to start a new one)",
                path.display()
            )
        })?;
        if file.version != VERSION {
            bail!(
                "{} has format version {}, this verify writes {VERSION} (move it away to start a new one)",
                path.display(),
                file.version
            );
        }
        Ok(file)
    }

    /// Writes the record (to a temporary file first, so an interrupted
    /// write never leaves half a file).
    pub fn save(&self, ws: &Workspace) -> Result<()> {
        let path = path(ws);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        let tmp = path.with_extension("json.tmp");
        fs::write(&tmp, serde_json::to_string_pretty(self)? + "\n")
            .with_context(|| format!("cannot write {}", tmp.display()))?;
        fs::rename(&tmp, &path).with_context(|| format!("cannot write {}", path.display()))
    }

    /// Loads, changes and saves the record.
    pub fn update<T>(ws: &Workspace, change: impl FnOnce(&mut ProgressFile) -> T) -> Result<T> {
        let mut file = Self::load(ws)?;
        let out = change(&mut file);
        file.save(ws)?;
        Ok(out)
    }

    /// Records a graded result at time `now`. Only the lab's current tasks
    /// are kept (a task renamed in the metadata starts afresh).
    pub fn record(&mut self, lab: &Lab, result: &LabResult, now: &str) {
        let entry = self.labs.entry(lab.package.clone()).or_default();
        entry.graded_at = Some(now.to_string());
        let mut old = std::mem::take(&mut entry.tasks);
        for task in &lab.meta.tasks {
            let mut saved = old.remove(&task.id).unwrap_or_default();
            saved.done = result.tasks.iter().any(|t| t.id == task.id && t.done);
            if saved.done && saved.first_passed.is_none() {
                saved.first_passed = Some(now.to_string());
            }
            entry.tasks.insert(task.id.clone(), saved);
        }
    }

    /// Per task id, how many of its hints were shown.
    pub fn hints_seen(&self, lab: &Lab) -> BTreeMap<String, usize> {
        self.labs
            .get(&lab.package)
            .map(|l| {
                l.tasks
                    .iter()
                    .map(|(id, t)| (id.clone(), t.hints_used))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Counts one more hint shown for `task_id`.
    pub fn hint_shown(&mut self, lab: &Lab, task_id: &str) {
        let entry = self.labs.entry(lab.package.clone()).or_default();
        entry
            .tasks
            .entry(task_id.to_string())
            .or_default()
            .hints_used += 1;
    }

    /// Every task of the lab starts again from its first hint.
    pub fn reset_hints(&mut self, lab: &Lab) {
        if let Some(entry) = self.labs.get_mut(&lab.package) {
            for task in entry.tasks.values_mut() {
                task.hints_used = 0;
            }
        }
    }

    /// `(done, total)` tasks of the lab, or `None` when it was never graded.
    pub fn tasks_done(&self, lab: &Lab) -> Option<(usize, usize)> {
        let entry = self.labs.get(&lab.package)?;
        entry.graded_at.as_ref()?;
        let done = lab
            .meta
            .tasks
            .iter()
            .filter(|t| entry.tasks.get(&t.id).is_some_and(|p| p.done))
            .count();
        Some((done, lab.meta.tasks.len()))
    }

    /// The lab's first task that is not done, with its number (from 1); a
    /// lab never graded is open at its first task. `None` when all are done.
    pub fn open_task<'a>(&self, lab: &'a Lab) -> Option<(usize, &'a Task)> {
        let graded = self.graded(lab);
        let (i, task) =
            lab.meta.tasks.iter().enumerate().find(|(_, t)| {
                !graded.is_some_and(|l| l.tasks.get(&t.id).is_some_and(|p| p.done))
            })?;
        Some((i + 1, task))
    }

    fn graded(&self, lab: &Lab) -> Option<&LabProgress> {
        self.labs
            .get(&lab.package)
            .filter(|l| l.graded_at.is_some())
    }

    /// The first task, in the workspace's lab order, that is not done; a
    /// lab never graded counts as open at its first task. `None` when every
    /// task of every lab is done.
    pub fn next<'a>(&self, ws: &'a Workspace) -> Option<Next<'a>> {
        ws.labs.iter().find_map(|lab| {
            let (number, task) = self.open_task(lab)?;
            Some(Next {
                lab,
                task,
                number,
                never_graded: self.graded(lab).is_none(),
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::labs::Lab;
    use crate::tasks::tests::meta;

    fn lab(order: u32, package: &str) -> Lab {
        let mut m = meta(&[("a", &["a_"], 3), ("b", &["b_"], 4)]);
        m.order = order;
        Lab {
            package: package.into(),
            dir: PathBuf::from(format!("/ws/labs/{package}")),
            meta: m,
            dependencies: Vec::new(),
        }
    }

    fn result(lab: &Lab, done: &[&str]) -> LabResult {
        let mut r = LabResult::blank(lab.id(), lab.package.clone(), &lab.meta);
        r.tasks = lab
            .meta
            .tasks
            .iter()
            .map(|t| crate::tasks::TaskResult {
                id: t.id.clone(),
                title: t.title.clone(),
                points: t.points,
                points_earned: 0,
                tests_passed: 0,
                tests_total: 1,
                done: done.contains(&t.id.as_str()),
                first_failure: None,
                hints_used: 0,
                likely_mistakes: Vec::new(),
            })
            .collect();
        r
    }

    fn workspace(labs: Vec<Lab>) -> Workspace {
        Workspace {
            root: "/ws".into(),
            target_dir: "/ws/target".into(),
            build_dir: "/ws/target".into(),
            labs,
        }
    }

    #[test]
    fn a_task_keeps_the_time_it_first_passed_when_it_fails_later() {
        let lab = lab(1, "one");
        let mut file = ProgressFile::default();
        file.record(&lab, &result(&lab, &["a"]), "T1");
        file.record(&lab, &result(&lab, &["a", "b"]), "T2");
        file.record(&lab, &result(&lab, &["b"]), "T3");
        let tasks = &file.labs["one"].tasks;
        assert_eq!(
            tasks["a"],
            TaskProgress {
                done: false,
                first_passed: Some("T1".into()),
                hints_used: 0
            }
        );
        assert_eq!(tasks["b"].first_passed.as_deref(), Some("T2"));
        assert!(tasks["b"].done);
        assert_eq!(file.labs["one"].graded_at.as_deref(), Some("T3"));
        assert_eq!(file.tasks_done(&lab), Some((1, 2)));
    }

    #[test]
    fn hints_are_counted_per_task_survive_grading_and_reset_per_lab() {
        let lab = lab(1, "one");
        let mut file = ProgressFile::default();
        file.hint_shown(&lab, "b");
        file.hint_shown(&lab, "b");
        assert_eq!(file.tasks_done(&lab), None, "hints alone are no grading");
        file.record(&lab, &result(&lab, &[]), "T1");
        assert_eq!(
            file.hints_seen(&lab),
            BTreeMap::from([("a".into(), 0), ("b".into(), 2)])
        );
        file.reset_hints(&lab);
        assert_eq!(file.hints_seen(&lab)["b"], 0);
    }

    #[test]
    fn next_is_the_first_open_task_in_lab_order_and_an_ungraded_lab_is_open() {
        let ws = workspace(vec![lab(1, "one"), lab(2, "two")]);
        let mut file = ProgressFile::default();
        let next = file.next(&ws).expect("open");
        assert_eq!(
            (next.lab.package.as_str(), next.task.id.as_str()),
            ("one", "a")
        );
        assert!(next.never_graded);

        file.record(&ws.labs[0], &result(&ws.labs[0], &["a"]), "T1");
        let next = file.next(&ws).expect("open");
        assert_eq!(
            (
                next.lab.package.as_str(),
                next.task.id.as_str(),
                next.number
            ),
            ("one", "b", 2)
        );
        assert!(!next.never_graded);

        file.record(&ws.labs[0], &result(&ws.labs[0], &["a", "b"]), "T2");
        let next = file.next(&ws).expect("open");
        assert_eq!((next.lab.package.as_str(), next.number), ("two", 1));
        assert!(next.never_graded);

        file.record(&ws.labs[1], &result(&ws.labs[1], &["a", "b"]), "T3");
        assert!(file.next(&ws).is_none());
    }

    #[test]
    fn a_renamed_task_starts_afresh() {
        let mut lab = lab(1, "one");
        let mut file = ProgressFile::default();
        file.record(&lab, &result(&lab, &["a"]), "T1");
        lab.meta.tasks[0].id = "a2".into();
        file.record(&lab, &result(&lab, &[]), "T2");
        let ids: Vec<&String> = file.labs["one"].tasks.keys().collect();
        assert_eq!(ids, ["a2", "b"]);
    }
}
