//! An exclusive lock on a batch output directory, held for the whole run, so that a second
//! `rhetor batch` (or a `--resume` started while the first still runs) into the same `--out` is
//! refused instead of interleaving and duplicating rows.
//!
//! The lock is the file `DIR/.rhetor-batch.lock`, created with `O_EXCL`, holding the owner's pid
//! and host name; it is removed when the run ends, however it ends short of `kill -9`. A lock
//! left by a process that no longer exists on this host is stale: it is taken over, and the run
//! says so. A lock from another host (a shared file system) is never taken over.

use anyhow::{Context, bail};
use std::fs::{self, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

/// The lock file's name inside the output directory.
pub const LOCK_FILE: &str = ".rhetor-batch.lock";

/// A held lock; dropping it releases it.
#[derive(Debug)]
pub struct DirLock {
    path: PathBuf,
    /// Set when a stale lock was taken over: what it said.
    pub took_over: Option<String>,
}

impl DirLock {
    /// Takes the lock on `dir` (created if missing), or says who holds it.
    pub fn acquire(dir: &Path) -> anyhow::Result<Self> {
        fs::create_dir_all(dir)
            .with_context(|| format!("{}: cannot create the output directory", dir.display()))?;
        let path = dir.join(LOCK_FILE);
        let me = Owner::current();
        let mut took_over = None;
        for _ in 0..2 {
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut f) => {
                    f.write_all(me.to_line().as_bytes())
                        .and_then(|()| f.sync_all())
                        .with_context(|| format!("{}: cannot write the lock", path.display()))?;
                    return Ok(Self { path, took_over });
                }
                Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                    let held = fs::read_to_string(&path).unwrap_or_default();
                    let owner = Owner::parse(&held);
                    let stale = took_over.is_none()
                        && owner
                            .as_ref()
                            .is_some_and(|o| o.host == me.host && !o.alive());
                    if !stale {
                        let who = owner.map_or("an unreadable owner".to_string(), |o| {
                            format!("pid {} on {}", o.pid, o.host)
                        });
                        bail!(
                            "{}: another rhetor batch ({who}) is writing to this directory; wait for it to finish, or, if it is gone, remove {}",
                            dir.display(),
                            path.display()
                        );
                    }
                    fs::remove_file(&path).with_context(|| {
                        format!("{}: cannot remove a stale lock", path.display())
                    })?;
                    took_over = Some(held.trim().replace('\n', " "));
                }
                Err(e) => {
                    return Err(e).with_context(|| format!("{}: cannot create", path.display()));
                }
            }
        }
        bail!("{}: the lock keeps changing hands", path.display())
    }
}

impl Drop for DirLock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// Who holds a lock.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Owner {
    pid: u32,
    host: String,
}

impl Owner {
    fn current() -> Self {
        Self {
            pid: std::process::id(),
            host: host_name(),
        }
    }

    fn to_line(&self) -> String {
        format!("pid {}\nhost {}\n", self.pid, self.host)
    }

    fn parse(text: &str) -> Option<Self> {
        let mut pid = None;
        let mut host = None;
        for line in text.lines() {
            match line.split_once(' ') {
                Some(("pid", v)) => pid = v.trim().parse().ok(),
                Some(("host", v)) => host = Some(v.trim().to_string()),
                _ => {}
            }
        }
        Some(Self {
            pid: pid?,
            host: host?,
        })
    }

    /// Whether the process still exists (signal 0 checks without sending anything; EPERM
    /// means it exists under another user).
    fn alive(&self) -> bool {
        let Ok(pid) = libc::pid_t::try_from(self.pid) else {
            return false;
        };
        // SAFETY: kill with signal 0 only asks whether the process exists.
        let r = unsafe { libc::kill(pid, 0) };
        r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
}

fn host_name() -> String {
    fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| fs::read_to_string("/etc/hostname"))
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "unknown-host".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_is_refused_and_a_stale_one_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let first = DirLock::acquire(dir.path()).unwrap();
        let err = DirLock::acquire(dir.path()).unwrap_err().to_string();
        assert!(err.contains("another rhetor batch"), "{err}");
        assert!(
            err.contains(&format!("pid {}", std::process::id())),
            "{err}"
        );
        drop(first);
        assert!(!dir.path().join(LOCK_FILE).exists(), "released on drop");
        // A lock whose process is gone (a child that has exited) is stale.
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        let stale = Owner {
            pid: dead,
            host: host_name(),
        };
        fs::write(dir.path().join(LOCK_FILE), stale.to_line()).unwrap();
        let taken = DirLock::acquire(dir.path()).unwrap();
        assert!(
            taken
                .took_over
                .as_deref()
                .unwrap()
                .contains(&dead.to_string())
        );
        // Another host's lock is never taken over.
        drop(taken);
        let remote = Owner {
            pid: dead,
            host: "elsewhere.invalid".into(),
        };
        fs::write(dir.path().join(LOCK_FILE), remote.to_line()).unwrap();
        assert!(DirLock::acquire(dir.path()).is_err());
    }
}
