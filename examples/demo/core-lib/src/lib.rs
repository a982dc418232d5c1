mod util;

include!(concat!(env!("OUT_DIR"), "/generated.rs"));

pub const GREETING: &str = include_str!("greeting.txt");

pub fn flavor() -> &'static str {
    option_env!("DEMO_FLAVOR").unwrap_or("plain")
}

pub fn greet(name: &str) -> String {
    let text = format!("{} {}", GREETING.trim(), name);
    util::finish(&text)
}
