use std::env;
use std::fs;
use std::path::Path;

fn main() {
    let out = env::var("OUT_DIR").unwrap();
    let factor: u32 = fs::read_to_string("factor.txt").unwrap().trim().parse().unwrap();
    fs::write(
        Path::new(&out).join("generated.rs"),
        format!("pub fn generated() -> u32 {{ {} }}\n", factor * 6),
    )
    .unwrap();
    println!("cargo:rerun-if-changed=factor.txt");
    println!("cargo:rerun-if-changed=build.rs");
}
