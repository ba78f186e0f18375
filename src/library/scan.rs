//! Walking a folder for article files.
