use std::time::Instant;
use vaora_scan::corpus::{self, Category};
fn main() {
    if let Ok(cat) = std::env::var("PROF") {
        let c = Category::ALL
            .iter()
            .find(|c| c.name() == cat)
            .copied()
            .unwrap();
        let pool = corpus::default_payloads();
        let ss: Vec<_> = (0..5)
            .map(|i| corpus::sample(2026, c, i, &pool).unwrap())
            .collect();
        let t = Instant::now();
        let mut n = 0;
        for _ in 0..20 {
            for s in &ss {
                n += vaora_scan::Scanner::new().scan(&s.frame).len();
            }
        }
        println!(
            "{} per frame {:.2} ms",
            n,
            t.elapsed().as_secs_f64() * 1e3 / 100.0
        );
        return;
    }
    let per: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10);
    let frames: usize = std::env::args()
        .nth(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1);
    let pool = corpus::default_payloads();
    let mut all_ms = Vec::new();
    let (mut tot, mut okt, mut wrongt) = (0, 0, 0);
    for c in Category::ALL {
        let (mut ok, mut wrong, mut ms) = (0, 0, Vec::new());
        let mut fails = Vec::new();
        for i in 0..per {
            let s = corpus::sample(2026, c, i, &pool).unwrap();
            let mut sc = vaora_scan::Scanner::new();
            let mut found = Vec::new();
            for _ in 0..frames {
                let t = Instant::now();
                found = sc.scan(&s.frame);
                ms.push(t.elapsed().as_secs_f64() * 1e3);
                if found.len() >= s.payloads.len().max(1) {
                    break;
                }
            }
            let texts: Vec<String> = found.iter().map(|p| p.text.clone()).collect();
            let w = texts.iter().filter(|t| !s.payloads.contains(t)).count();
            wrong += w;
            if w == 0 && s.payloads.iter().all(|p| texts.contains(p)) {
                ok += 1
            } else {
                fails.push(i)
            }
        }
        ms.sort_by(f64::total_cmp);
        println!(
            "{:14} {:3}/{} wrong {} med {:.1} p95 {:.1} fails {:?}",
            c.name(),
            ok,
            per,
            wrong,
            ms[ms.len() / 2],
            ms[(ms.len() - 1) * 95 / 100],
            fails
        );
        tot += per;
        okt += ok;
        wrongt += wrong;
        all_ms.extend(ms);
    }
    all_ms.sort_by(f64::total_cmp);
    println!(
        "ALL {okt}/{tot} = {:.1}% wrong {wrongt} med {:.1} p95 {:.1}",
        100.0 * okt as f64 / tot as f64,
        all_ms[all_ms.len() / 2],
        all_ms[(all_ms.len() - 1) * 95 / 100]
    );
}
#[allow(dead_code)]
fn unused() {}
