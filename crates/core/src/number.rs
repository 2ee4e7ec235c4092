//! Counts as an admin reads them: digits in groups of three, `10,000` webhooks rather than
//! `10000`. A few lines of our own rather than a formatting crate for the one use.

/// `n` with a comma between each group of three digits: `1234567` reads `1,234,567`.
pub fn grouped(n: u64) -> String {
    let mut text = n.to_string();
    let mut at = text.len();
    while at > 3 {
        at -= 3;
        text.insert(at, ',');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::grouped;

    #[test]
    fn groups_digits_in_threes_from_the_right() {
        for (n, text) in [
            (0, "0"),
            (7, "7"),
            (999, "999"),
            (1000, "1,000"),
            (10_050, "10,050"),
            (100_000, "100,000"),
            (1_234_567, "1,234,567"),
            (u64::MAX, "18,446,744,073,709,551,615"),
        ] {
            assert_eq!(grouped(n), text);
        }
    }
}
