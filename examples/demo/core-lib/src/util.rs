#[cfg(feature = "shout")]
pub fn finish(text: &str) -> String {
    text.to_uppercase() + "!"
}

#[cfg(not(feature = "shout"))]
pub fn finish(text: &str) -> String {
    text.to_string()
}
