#!/usr/bin/env bash
# Generates a cargo workspace of N library crates (default 48) in layers, plus a proc-macro, a
# build script and a binary: no registry dependencies. Usage: gen-workspace.sh DIR [N]
set -euo pipefail
dir=$1; n=${2:-48}
rm -rf "$dir"; mkdir -p "$dir"
members='"app", "derive_helper"'
for i in $(seq 0 $((n - 1))); do members="$members, \"c$i\""; done
cat > "$dir/Cargo.toml" <<TOML
[workspace]
members = [$members]
resolver = "2"
TOML
mkdir -p "$dir/derive_helper/src"
cat > "$dir/derive_helper/Cargo.toml" <<'TOML'
[package]
name = "derive_helper"
version = "0.1.0"
edition = "2021"
[lib]
proc-macro = true
TOML
cat > "$dir/derive_helper/src/lib.rs" <<'RS'
use proc_macro::TokenStream;
#[proc_macro]
pub fn make_answer(input: TokenStream) -> TokenStream {
    format!("pub fn answer() -> usize {{ {} }}", input.into_iter().count()).parse().unwrap()
}
RS
for i in $(seq 0 $((n - 1))); do
    c="$dir/c$i"; mkdir -p "$c/src"
    deps='derive_helper = { path = "../derive_helper" }'
    # Each crate depends on up to three crates of the previous layer of 8.
    layer=$((i / 8))
    if [ "$layer" -gt 0 ]; then
        for d in 0 3 5; do j=$(( (layer - 1) * 8 + (i + d) % 8 )); deps="$deps
c$j = { path = \"../c$j\" }"; done
    fi
    build=""
    if [ $((i % 6)) -eq 0 ]; then build='build = "build.rs"'
        cat > "$c/build.rs" <<'RS'
fn main() {
    let out = std::env::var("OUT_DIR").unwrap();
    std::fs::write(format!("{}/consts.rs", out), "pub const BUILT: u64 = 12345;\n").unwrap();
    println!("cargo:rerun-if-changed=build.rs");
}
RS
    fi
    cat > "$c/Cargo.toml" <<TOML
[package]
name = "c$i"
version = "0.1.0"
edition = "2021"
$build
[dependencies]
$deps
TOML
    {
        echo "derive_helper::make_answer!(a b c $i);"
        [ -n "$build" ] && echo 'include!(concat!(env!("OUT_DIR"), "/consts.rs"));'
        # Enough generic code that codegen takes real time.
        for k in $(seq 0 11); do cat <<RS
#[derive(Debug, Clone, PartialEq)]
pub struct S$k<T: Clone> { pub items: Vec<T>, pub name: String, pub id: u64 }
impl<T: Clone + std::fmt::Debug> S$k<T> {
    pub fn new(name: &str, id: u64) -> Self { S$k { items: Vec::new(), name: name.to_string(), id } }
    pub fn push(&mut self, t: T) -> usize { self.items.push(t); self.items.len() }
    pub fn describe(&self) -> String { format!("{}#{}: {:?}", self.name, self.id, self.items) }
    pub fn fold_len(&self) -> usize { self.items.iter().map(|t| format!("{:?}", t).len()).sum() }
}
pub fn work$k(n: u64) -> u64 {
    let mut s = S$k::<u64>::new("w", n);
    for i in 0..n { s.push(i * $k); }
    let mut h = std::collections::HashMap::new();
    for (i, v) in s.items.iter().enumerate() { h.insert(i, *v); }
    h.values().sum::<u64>() + s.fold_len() as u64
}
RS
        done
        echo "pub fn total() -> u64 { let mut t = answer() as u64;"
        if [ "$layer" -gt 0 ]; then for d in 0 3 5; do j=$(( (layer - 1) * 8 + (i + d) % 8 )); echo "  t += c$j::total() % 1000;"; done; fi
        echo "  t + work0(3) }"
    } > "$c/src/lib.rs"
done
mkdir -p "$dir/app/src"
appdeps=""
for i in $(seq $((n - 8)) $((n - 1))); do appdeps="$appdeps
c$i = { path = \"../c$i\" }"; done
cat > "$dir/app/Cargo.toml" <<TOML
[package]
name = "app"
version = "0.1.0"
edition = "2021"
[dependencies]
$appdeps
TOML
{
    echo "fn main() { let mut t = 0u64;"
    for i in $(seq $((n - 8)) $((n - 1))); do echo "  t += c$i::total();"; done
    echo '  println!("total={}", t); }'
} > "$dir/app/src/main.rs"
