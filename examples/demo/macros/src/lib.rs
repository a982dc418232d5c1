use proc_macro::TokenStream;

/// Expands to the number of tokens it was given, as a `usize` literal.
#[proc_macro]
pub fn count_tokens(input: TokenStream) -> TokenStream {
    let n = input.into_iter().count();
    format!("{}usize", n).parse().unwrap()
}
