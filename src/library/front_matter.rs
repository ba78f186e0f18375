//! Splitting front matter from the body and parsing it.
