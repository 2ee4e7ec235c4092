//! Running commands and the sandbox, with failures that say what failed.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// The workspace root (xtask lives one folder below it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Where cargo puts builds: `CARGO_TARGET_DIR` if set (relative to the workspace root), else
/// `target/`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => root().join(dir),
        _ => root().join("target"),
    }
}

/// A command that runs in the workspace root.
pub fn cmd(program: &str) -> Command {
    let mut c = Command::new(program);
    c.current_dir(root());
    c
}

/// Runs a command to its end; a non-zero exit is an error naming the command.
pub fn exec(command: &mut Command) -> Result<(), String> {
    let shown = format!("{command:?}");
    let status = command
        .status()
        .map_err(|e| format!("cannot run {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed ({status})"))
    }
}

/// Runs a command and returns its standard output, or `None` if it could not run or failed.
pub fn output(command: &mut Command) -> Option<String> {
    let out = command.stderr(Stdio::null()).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A running sandbox, stopped when dropped (also when a test step fails).
pub struct Sandbox {
    child: Child,
    pub url: String,
}

impl Sandbox {
    /// Builds and starts the sandbox on `port` (0: any free port).
    pub fn start(port: u16) -> Result<Sandbox, String> {
        exec(cmd("cargo").args(["build", "--quiet", "-p", "hookpanel-sandbox"]))?;
        let mut command = cmd(&target_dir()
            .join("debug/hookpanel-sandbox")
            .to_string_lossy());
        command.args(["--port", &port.to_string()]);
        let mut child = command
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start the sandbox: {e}"))?;
        let mut lines =
            BufReader::new(child.stdout.take().ok_or("the sandbox has no stdout")?).lines();
        let mut sandbox = Sandbox {
            child,
            url: String::new(),
        };
        match lines.next() {
            Some(Ok(line)) => {
                if let Some(url) = line.strip_prefix("sandbox: ") {
                    sandbox.url = url.to_string();
                }
            }
            _ => return Err("the sandbox stopped before it was listening".into()),
        }
        // Keep reading its output so it never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        if sandbox.url.is_empty() {
            return Err("the sandbox did not say where it listens".into());
        }
        Ok(sandbox)
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
