//! Embeds the sample events of `events/<channel>/*.json`: each messenger's samples, for
//! `receivers simulate`, the tests and the benches.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".to_owned());
    let events = Path::new(&manifest).join("../../events");
    println!("cargo:rerun-if-changed={}", events.display());
    let mut samples = Vec::new();
    if let Ok(channels) = std::fs::read_dir(&events) {
        for channel in channels.flatten() {
            let Ok(files) = std::fs::read_dir(channel.path()) else {
                continue;
            };
            for file in files.flatten() {
                let path = file.path();
                if path.extension().is_some_and(|ext| ext == "json")
                    && let (Some(channel), Some(kind)) = (
                        channel.file_name().to_str().map(str::to_owned),
                        path.file_stem().and_then(|s| s.to_str()).map(str::to_owned),
                    )
                {
                    let absolute = path.canonicalize().unwrap_or(path);
                    samples.push((channel, kind, absolute));
                }
            }
        }
    }
    samples.sort();
    let mut code = String::from(
        "/// (channel, kind, API Gateway event) for every file of `events/`.\n\
         pub static SAMPLES: &[(&str, &str, &str)] = &[\n",
    );
    for (channel, kind, path) in samples {
        let _ = writeln!(
            code,
            "    ({channel:?}, {kind:?}, include_str!({:?})),",
            path.display().to_string()
        );
    }
    code.push_str("];\n");
    let out = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".to_owned());
    if let Err(err) = std::fs::write(Path::new(&out).join("samples.rs"), code) {
        panic!("cannot write the embedded samples: {err}");
    }
}
