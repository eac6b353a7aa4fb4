//! `shared::metrics::emf::Emf`, as the Lambdas write their metrics; with `--stdout`, each object
//! also goes to stdout in its own write, as in a Lambda (redirect it to a file).

use shared::metrics::emf::Emf;

fn main() {
    let mut emf = Emf::new();
    if std::env::args().any(|arg| arg == "--stdout") {
        let mut stdout = std::io::stdout();
        emf_compare::measure("own, each object written to stdout", |report, _| {
            emf.write(report, 1_795_525_200_000, &mut stdout).unwrap();
        });
    } else {
        emf_compare::measure("own", |report, out| {
            emf.write(report, 1_795_525_200_000, out).unwrap();
        });
    }
}
