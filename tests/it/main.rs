//! The integration tests, in one binary: one link instead of one per file keeps the build
//! small and quick. Each module is what used to be a file of its own under `tests/`.

mod support;

mod architecture;
mod cli_config;
mod cli_list;
mod cli_list_tags;
mod cli_list_titles;
mod cli_mark;
mod cli_print;
mod cli_print_images;
mod cli_print_pager;
mod cli_print_theme;
mod cli_search;
mod e2e_images;
mod e2e_tmux;
mod fuzz_pipeline;
mod hostile_files;
mod hostile_front_matter;
mod hostile_images;
mod hostile_links;
mod hostile_terminal;
mod library_dates;
mod library_error_lines;
mod library_front_matter;
mod library_prose;
mod library_scan;
mod markdown_layout;
mod markdown_pieces;
mod markdown_props;
mod markdown_runs;
mod markdown_stress;
mod markdown_wrap;
mod reader_pictures;
mod readme;
mod sanitize_fuzz;
mod store_cache;
mod store_crash;
mod store_recovery;
mod tui_cli;
mod tui_light_theme;
mod tui_reader_markdown;
mod tui_snapshots;
