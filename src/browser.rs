//! Opening URLs: one trait, the system browser and a recording opener for tests.
