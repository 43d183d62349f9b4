//! A QR code as SVG path data, for a screen to draw (the personal pass, a
//! gate's rotating code). Only `M`/`h`/`v` commands of our own making:
//! never any text from the encoded payload, so the UI can bind it as an
//! attribute without escaping concerns.

use serde::Serialize;

use crate::PrintError;
use crate::page::QrPlacement;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QrPath {
    /// Modules per side, quiet zone included: the SVG's viewBox size.
    pub width: usize,
    /// One path filling the dark modules, a run of a row at a time.
    pub path: String,
}

pub fn qr_path(text: &str) -> Result<QrPath, PrintError> {
    let qr = QrPlacement::encode(text, 0.0, 0.0, 1.0)?;
    let mut path = String::new();
    for y in 0..qr.width {
        let row = &qr.modules[y * qr.width..(y + 1) * qr.width];
        let mut x = 0;
        while x < qr.width {
            if !row[x] {
                x += 1;
                continue;
            }
            let run = row[x..].iter().take_while(|dark| **dark).count();
            path.push_str(&format!("M{x} {y}h{run}v1h-{run}z"));
            x += run;
        }
    }
    Ok(QrPath {
        width: qr.width,
        path,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_path_covers_exactly_the_dark_modules() {
        let qr = QrPlacement::encode("VRP:ABC", 0.0, 0.0, 1.0).unwrap();
        let drawn = qr_path("VRP:ABC").unwrap();
        assert_eq!(drawn.width, qr.width);
        let covered: usize = drawn
            .path
            .split('h')
            .skip(1)
            .step_by(2)
            .map(|run| run.split('v').next().unwrap().parse::<usize>().unwrap())
            .sum();
        assert_eq!(covered, qr.modules.iter().filter(|d| **d).count());
        assert!(drawn.path.chars().all(|c| "Mhvz- 0123456789".contains(c)));
    }
}
