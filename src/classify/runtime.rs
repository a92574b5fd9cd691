//! Where ONNX Runtime and the model live, and how many threads they use — decided here only.

use anyhow::{Context, anyhow};
use ort::environment::Environment;
use std::path::PathBuf;
use std::sync::OnceLock;

/// The ONNX Runtime version the setup step installs (scripts/setup.sh pins the wheel).
pub const ORT_VERSION: &str = "1.32.0";

/// The cache directory scripts/setup.sh installs into.
pub fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("RHETOR_CACHE") {
        return PathBuf::from(dir);
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(|| PathBuf::from(".cache"));
    base.join("rhetor")
}

/// The ONNX Runtime shared library: `ORT_DYLIB_PATH`, else the setup step's cache.
pub fn library_path() -> PathBuf {
    match std::env::var_os("ORT_DYLIB_PATH") {
        Some(p) => PathBuf::from(p),
        None => cache_dir()
            .join(format!("onnxruntime-{ORT_VERSION}"))
            .join(format!("libonnxruntime.so.{ORT_VERSION}")),
    }
}

/// The model directory: `RHETOR_MODEL_DIR`, else models/classifier beside the executable's
/// checkout (target/{debug,release}/rhetor → ../../models/classifier), else the source tree
/// rhetor was built from.
pub fn model_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("RHETOR_MODEL_DIR") {
        return PathBuf::from(dir);
    }
    let beside_exe = std::env::current_exe().ok().and_then(|exe| {
        exe.parent()?
            .parent()?
            .parent()
            .map(|root| root.join("models/classifier"))
    });
    match beside_exe {
        Some(dir) if dir.join("config.json").is_file() => dir,
        _ => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("models/classifier"),
    }
}

/// Intra-op threads for the encoder: `RHETOR_THREADS`, else the available cores (at most 8).
pub fn threads() -> usize {
    std::env::var("RHETOR_THREADS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n: &usize| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get().min(8)))
}

/// The process-wide ONNX Runtime environment, loaded once from [`library_path`].
pub fn environment() -> anyhow::Result<Environment> {
    static ENV: OnceLock<Result<Environment, String>> = OnceLock::new();
    ENV.get_or_init(|| {
        let path = library_path();
        if !path.is_file() {
            return Err(format!(
                "ONNX Runtime not found at {}: run scripts/setup.sh (or set ORT_DYLIB_PATH), or pass --no-model",
                path.display()
            ));
        }
        ort::init_from(&path)
            .map_err(|e| format!("{}: cannot load ONNX Runtime: {e}", path.display()))?
            .with_name("rhetor")
            .build()
            .map_err(|e| format!("cannot start ONNX Runtime: {e}"))
    })
    .clone()
    .map_err(|e| anyhow!(e))
    .context("loading the classifier")
}
