fn main() {
    let tokens = macros::count_tokens!(a b c);
    println!(
        "{} generated={} flavor={} tokens={}",
        core_lib::greet("kache"),
        core_lib::generated(),
        core_lib::flavor(),
        tokens
    );
}

#[cfg(test)]
mod tests {
    #[test]
    fn generated_value() {
        assert_eq!(core_lib::generated(), 42);
    }
}
