//! Fuzzy matching of titles: one matcher for the list screen and `folio list --search`.
