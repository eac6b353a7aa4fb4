//! The baseline: the same program with no metrics writer.

fn main() {
    emf_compare::measure("none", |report, out| {
        out.extend_from_slice(report.channel.as_bytes());
    });
}
