//! `receivers`: the local command line.

fn main() {}
