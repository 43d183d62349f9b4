//! Decoders outside this process: zbar (`zbarimg`) and zxing-cpp (Python
//! binding), fed the corpus frames as files.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use vaora_scan::GrayFrame;
use vaora_scan::corpus::Sample;

use crate::tally::Run;

/// Each frame as PNG (for zxing-cpp) and as binary PGM (for zbar, whose
/// PGM reader is nearly free, so its time is mostly decoding).
pub struct Dir {
    _dir: tempfile::TempDir,
    png: Vec<PathBuf>,
    pgm: Vec<PathBuf>,
}

impl Dir {
    pub fn write(samples: &[Sample]) -> std::io::Result<Dir> {
        let dir = tempfile::tempdir()?;
        let (mut png, mut pgm) = (Vec::new(), Vec::new());
        for (i, s) in samples.iter().enumerate() {
            let p = dir.path().join(format!("{i:04}.png"));
            image_of(&s.frame).save(&p).map_err(std::io::Error::other)?;
            png.push(p);
            let p = dir.path().join(format!("{i:04}.pgm"));
            write_pgm(&p, &s.frame)?;
            pgm.push(p);
        }
        Ok(Dir {
            _dir: dir,
            png,
            pgm,
        })
    }
}

fn image_of(frame: &GrayFrame) -> image::GrayImage {
    image::GrayImage::from_raw(
        frame.width() as u32,
        frame.height() as u32,
        frame.pixels().to_vec(),
    )
    .expect("frame dimensions match its buffer")
}

fn write_pgm(path: &Path, frame: &GrayFrame) -> std::io::Result<()> {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    write!(f, "P5\n{} {}\n255\n", frame.width(), frame.height())?;
    f.write_all(frame.pixels())?;
    f.flush()
}

/// One `zbarimg --raw` run, timed: each symbol's bytes then a newline.
/// Multi-line payloads make that ambiguous, and zbar's XML mangles
/// non-ASCII text in its base64 form, so a second, untimed `--xml` run
/// gives each symbol's byte length to cut the raw output with.
fn zbarimg(path: &Path) -> std::io::Result<(Vec<String>, f64)> {
    let args = ["-q", "-Sdisable", "-Sqrcode.enable"];
    let start = Instant::now();
    let raw = Command::new("zbarimg")
        .arg("--raw")
        .args(args)
        .arg(path)
        .output()?;
    let ms = start.elapsed().as_secs_f64() * 1e3;
    let xml = Command::new("zbarimg")
        .arg("--xml")
        .args(args)
        .arg(path)
        .output()?;
    let xml = String::from_utf8_lossy(&xml.stdout);
    let lengths = xml.split("<data").skip(1).filter_map(|s| {
        let (attrs, rest) = s.split_once('>')?;
        match attrs.split("length='").nth(1) {
            Some(n) => n.split('\'').next()?.parse::<usize>().ok(),
            None => Some(rest.strip_prefix("<![CDATA[")?.split("]]>").next()?.len()),
        }
    });
    let mut texts = Vec::new();
    let mut at = 0;
    for len in lengths {
        let Some(bytes) = raw.stdout.get(at..at + len) else {
            break;
        };
        texts.push(String::from_utf8_lossy(bytes).into_owned());
        at += len + 1;
    }
    Ok((texts, ms))
}

/// zbar: one `zbarimg` process per frame, wall time minus the median time
/// of the same command on a 1×1 PGM (process start and set-up).
pub fn zbar(dir: &Dir, samples: &[Sample]) -> Result<Run, String> {
    let tiny = dir._dir.path().join("tiny.pgm");
    let blank = GrayFrame::new(1, 1, vec![255]).map_err(|e| e.to_string())?;
    write_pgm(&tiny, &blank).map_err(|e| e.to_string())?;
    let mut start_up: Vec<f64> = (0..9)
        .map(|_| zbarimg(&tiny).map(|(_, ms)| ms))
        .collect::<Result<_, _>>()
        .map_err(|e| {
            format!("zbar: skipped ({e}; install Debian zbar-tools: bash scripts/setup --bench)")
        })?;
    start_up.sort_by(f64::total_cmp);
    let overhead = start_up[start_up.len() / 2];
    let mut run = Run::new(
        "zbar",
        &format!("zbarimg per PGM file, wall time minus {overhead:.1} ms process start-up"),
    );
    for (p, _) in dir.pgm.iter().zip(samples) {
        let (texts, ms) = zbarimg(p).map_err(|e| format!("zbar: {e}"))?;
        run.push(texts, (ms - overhead).max(0.0));
    }
    Ok(run)
}

/// zxing-cpp through its Python binding, timed inside Python around
/// `read_barcodes` only.
pub fn zxing_cpp(dir: &Dir, samples: &[Sample]) -> Result<Run, String> {
    let home = std::env::var("HOME").unwrap_or_default();
    let python = PathBuf::from(home).join(".cache/vaora/zxing-venv/bin/python");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/scan/zxing_cpp.py");
    let skipped = |why: String| {
        format!(
            "zxing-cpp: skipped ({why}; bash scripts/setup --bench makes {})",
            python.display()
        )
    };
    let mut child = Command::new(&python)
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| skipped(e.to_string()))?;
    let list: String = dir
        .png
        .iter()
        .map(|p| format!("{}\n", p.display()))
        .collect();
    let mut stdin = child
        .stdin
        .take()
        .ok_or_else(|| skipped("no stdin".into()))?;
    let writer = std::thread::spawn(move || stdin.write_all(list.as_bytes()));
    let out = child
        .wait_with_output()
        .map_err(|e| skipped(e.to_string()))?;
    let _ = writer.join();
    let mut run = Run::new(
        "zxing-cpp",
        "Python binding, read_barcodes timed in Python, library defaults",
    );
    let lines: Vec<&str> = std::str::from_utf8(&out.stdout)
        .unwrap_or("")
        .lines()
        .collect();
    if lines.len() != samples.len() {
        return Err(skipped(format!(
            "{} results for {} frames",
            lines.len(),
            samples.len()
        )));
    }
    for line in lines {
        let v: serde_json::Value =
            serde_json::from_str(line).map_err(|e| skipped(e.to_string()))?;
        let texts = v["texts"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|t| t.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        run.push(texts, v["ms"].as_f64().unwrap_or(f64::NAN));
    }
    Ok(run)
}
